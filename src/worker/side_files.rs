//! The files beside the dataset: boundaries (the maps' areas), police stations and a road
//! network (the routes' start points and roads). Each is small, read whole, and kept until the
//! worker is replaced.

use std::rc::Rc;

use patroliq_core::areas::Boundaries;
use patroliq_core::route::network::RoadNetwork;
use patroliq_core::route::stations;
use web_sys::File;

use super::answer::Job;
use super::io::{fetch_text, host_of, read_all, SMALL_FILE};
use super::state::Worker;
use crate::protocol::{self, Failure, Reply};

/// Reads a boundary file (picked, or fetched from `url`) and keeps it, replacing one of its kind.
pub(super) async fn boundaries(w: Rc<Worker>, job: Job, file: Option<File>, url: Option<String>) {
    let fail = |message: String| job.reply(Err(Failure::Io(message)));
    let (source, text) = match (url, file) {
        (Some(url), _) => match fetch_text(&url).await {
            Ok(t) => (host_of(&url).to_string(), t),
            Err(e) => return fail(e),
        },
        (None, Some(file)) => {
            if file.size() > SMALL_FILE {
                return fail(format!("{} is too large for a boundary file", file.name()));
            }
            match read_all(&file).await {
                Ok(b) => match String::from_utf8(b) {
                    Ok(t) => (file.name(), t),
                    Err(_) => {
                        return fail(format!("{}: not text (a GeoJSON file is UTF-8 JSON)", file.name()))
                    }
                },
                Err(e) => return fail(format!("{}: {e}", file.name())),
            }
        }
        (None, None) => return job.reply(Err(Failure::Missing("no boundary file was given".into()))),
    };
    match Boundaries::from_geojson(&text) {
        Ok(b) => {
            let (kind, outlines) = (b.kind, b.outlines(25.0));
            let mut all = w.boundaries.borrow_mut();
            all.retain(|x| x.kind != kind);
            all.push(b);
            job.reply(Ok(Reply::Boundaries(Box::new(protocol::Boundaries { kind, source, outlines }))));
        }
        Err(e) => fail(format!("{source}: {e}")),
    }
}

/// Reads a "Police Stations" CSV.
pub(super) async fn stations(job: Job, file: Option<File>) {
    let fail = |message: String| job.reply(Err(Failure::Io(message)));
    let Some(file) = file else {
        return job.reply(Err(Failure::Missing("no stations file was given".into())));
    };
    if file.size() > SMALL_FILE {
        return fail(format!("{} is too large for a list of police stations", file.name()));
    }
    match read_all(&file).await.and_then(|b| stations::parse(&b)) {
        Ok((stations, skipped)) => {
            job.reply(Ok(Reply::Stations(Box::new(protocol::Stations { stations, skipped }))))
        }
        Err(e) => fail(format!("{}: {e}", file.name())),
    }
}

/// Reads a TNTP road network (its nodes file and links file, in either order) and keeps it.
pub(super) async fn network(w: Rc<Worker>, job: Job, nodes: Option<File>, links: Option<File>) {
    let fail = |message: String| job.reply(Err(Failure::Io(message)));
    let (Some(a), Some(b)) = (nodes, links) else {
        let why = "choose two files: the network's nodes and its links";
        return job.reply(Err(Failure::Missing(why.into())));
    };
    if a.size() + b.size() > 4.0 * SMALL_FILE {
        return fail("these files are too large for a city road network".into());
    }
    // Either order: the file named like "…links…" is the links file (from_tntp names a mix-up).
    let (na, nb) = (a.name(), b.name());
    let (nodes, links) = if na.contains("link") || nb.contains("node") { (b, a) } else { (a, b) };
    let parsed = match (read_all(&nodes).await, read_all(&links).await) {
        (Ok(n), Ok(l)) => RoadNetwork::from_tntp(&n, &l),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match parsed {
        Ok(net) => {
            let summary = net.summary.clone();
            *w.network.borrow_mut() = Some(net);
            job.reply(Ok(Reply::Network(Box::new(summary))));
        }
        Err(e) => fail(e),
    }
}
