//! One plain sentence per metric, for the people the figures are for: an officer at roll call, an
//! analyst's manager. The app shows each beside its figure (a "?" that opens on tap, focus or
//! hover) and every page takes the same sentence from here, so a metric is explained once and the
//! same way everywhere.

/// A metric or term the pages show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Term {
    GiZ,
    Fdr,
    Pai,
    Pei,
    HitRate,
    Silhouette,
    DaviesBouldin,
    CalinskiHarabasz,
    Inertia,
    Noise,
    SeverityWeighted,
    RiskScore,
    Recency,
    DevianceExplained,
    PerShift,
    Trustworthiness,
    ExplainedVariance,
    RoutePai,
}

impl Term {
    pub const ALL: [Term; 18] = [
        Term::GiZ,
        Term::Fdr,
        Term::Pai,
        Term::Pei,
        Term::HitRate,
        Term::Silhouette,
        Term::DaviesBouldin,
        Term::CalinskiHarabasz,
        Term::Inertia,
        Term::Noise,
        Term::SeverityWeighted,
        Term::RiskScore,
        Term::Recency,
        Term::DevianceExplained,
        Term::PerShift,
        Term::Trustworthiness,
        Term::ExplainedVariance,
        Term::RoutePai,
    ];

    /// The term as the pages write it.
    pub fn name(self) -> &'static str {
        match self {
            Term::GiZ => "Gi* z",
            Term::Fdr => "FDR",
            Term::Pai => "PAI",
            Term::Pei => "PEI",
            Term::HitRate => "hit rate",
            Term::Silhouette => "silhouette",
            Term::DaviesBouldin => "Davies–Bouldin",
            Term::CalinskiHarabasz => "Calinski–Harabasz",
            Term::Inertia => "inertia",
            Term::Noise => "noise",
            Term::SeverityWeighted => "severity-weighted",
            Term::RiskScore => "risk score",
            Term::Recency => "recency",
            Term::DevianceExplained => "deviance explained",
            Term::PerShift => "per shift",
            Term::Trustworthiness => "trustworthiness",
            Term::ExplainedVariance => "explained variance",
            Term::RoutePai => "route PAI",
        }
    }

    /// A short name for element ids and data attributes: `gi-z`, `pai`.
    pub fn slug(self) -> &'static str {
        match self {
            Term::GiZ => "gi-z",
            Term::Fdr => "fdr",
            Term::Pai => "pai",
            Term::Pei => "pei",
            Term::HitRate => "hit-rate",
            Term::Silhouette => "silhouette",
            Term::DaviesBouldin => "davies-bouldin",
            Term::CalinskiHarabasz => "calinski-harabasz",
            Term::Inertia => "inertia",
            Term::Noise => "noise",
            Term::SeverityWeighted => "severity-weighted",
            Term::RiskScore => "risk-score",
            Term::Recency => "recency",
            Term::DevianceExplained => "deviance-explained",
            Term::PerShift => "per-shift",
            Term::Trustworthiness => "trustworthiness",
            Term::ExplainedVariance => "explained-variance",
            Term::RoutePai => "route-pai",
        }
    }

    /// What it means, in one sentence without jargon.
    pub fn gloss(self) -> &'static str {
        match self {
            Term::GiZ => {
                "How far a place and its neighbours stand above the city's average, in standard \
                 deviations: above 2 is unlikely to be chance, above 3 very unlikely."
            }
            Term::Fdr => {
                "False discovery rate: of the cells called significant, at most this share is \
                 expected to be flukes."
            }
            Term::Pai => {
                "Predictive accuracy index: the share of later crimes caught divided by the share of \
                 the city flagged; 10 means the flagged area held ten times its share of crime."
            }
            Term::Pei => {
                "Predictive efficiency index: the crimes caught as a share of the most an area of the \
                 same size could have caught; 1 is perfect."
            }
            Term::HitRate => "The share of the later period's crimes that fell in the flagged areas.",
            Term::Silhouette => {
                "From −1 to 1: how much closer each incident is to its own hotspot than to the next \
                 one; above 0.5 the hotspots are well apart, near 0 they run into each other."
            }
            Term::DaviesBouldin => {
                "How wide the hotspots are against how far apart they lie; lower is better, 0 is best."
            }
            Term::CalinskiHarabasz => {
                "The spread between hotspots against the spread within them; higher is better, \
                 comparable only on the same data."
            }
            Term::Inertia => {
                "How far incidents lie from their group's centre, summed; lower is tighter, but it \
                 always falls as groups are added."
            }
            Term::Noise => "Incidents in no hotspot: scattered, not concentrated anywhere.",
            Term::SeverityWeighted => {
                "Incidents counted by how serious they are (the FBI's order of offences: a homicide \
                 weighs more than a theft), not one each."
            }
            Term::RiskScore => {
                "From 0 to 1: a place's serious, recent crime and what its surroundings predict, \
                 scaled so the riskiest place is 1."
            }
            Term::Recency => "Recent incidents count more: an incident's weight halves every half-life.",
            Term::DevianceExplained => {
                "How much of the difference in crime between places the places around them (bars, \
                 transit, schools…) account for, from 0 to 100 %."
            }
            Term::PerShift => {
                "The incidents expected in one such shift: the average over every past shift of the \
                 same weekday and hours."
            }
            Term::Trustworthiness => {
                "From 0 to 1: how well the map keeps each incident's nearest neighbours near; above \
                 0.9 its neighbourhoods can be trusted."
            }
            Term::ExplainedVariance => {
                "The share of the differences between incidents that a component captures."
            }
            Term::RoutePai => {
                "The share of crimes within reach of the route divided by the share of the city \
                 within reach: how much better than driving anywhere."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_has_one_plain_sentence_and_its_own_slug() {
        let mut slugs = std::collections::HashSet::new();
        for t in Term::ALL {
            let g = t.gloss();
            assert!(g.ends_with('.'), "{t:?}: a sentence");
            assert!(!g.contains('\n') && g.len() < 220, "{t:?}: one line");
            assert!(!t.name().is_empty());
            assert!(slugs.insert(t.slug()), "{t:?}: slug taken");
        }
    }
}
