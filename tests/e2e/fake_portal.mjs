// A local stand-in for the Chicago Data Portal's SODA API (resource ijzp-q8t2.csv): it answers
// $limit, $order=date DESC and a $where date range the way the portal does, in the portal's CSV
// form (quoted API field names, ISO dates with milliseconds, POINT locations), with CORS headers.
const FIELDS = ['id', 'case_number', 'date', 'block', 'iucr', 'primary_type', 'description',
  'location_description', 'arrest', 'domestic', 'beat', 'district', 'ward', 'community_area',
  'fbi_code', 'x_coordinate', 'y_coordinate', 'year', 'updated_on', 'latitude', 'longitude', 'location'];
const TYPES = [['THEFT', '0820', '$500 AND UNDER', '06'], ['BATTERY', '0486', 'DOMESTIC BATTERY SIMPLE', '08B'],
  ['CRIMINAL DAMAGE', '1320', 'TO VEHICLE', '14'], ['ROBBERY', '031A', 'ARMED: HANDGUN', '03']];

function rows(n) {
  const out = [];
  const end = Date.UTC(2017, 11, 31, 23, 0, 0);
  for (let i = 0; i < n; i++) {
    const t = new Date(end - i * 105 * 60 * 1000);
    const iso = t.toISOString().replace('Z', '');
    const [type, iucr, desc, fbi] = TYPES[i % TYPES.length];
    const lat = (41.75 + (i % 97) / 400).toFixed(9);
    const lon = (-87.75 + (i % 89) / 600).toFixed(9);
    out.push({ iso, values: [String(11_000_000 + i), `JA${100000 + i}`, iso, '001XX W MADISON ST', iucr, type, desc,
      'STREET', String(i % 5 === 0), String(i % 7 === 0), '0111', '001', '42', '32', fbi, '1176000', '1900000',
      iso.slice(0, 4), iso, lat, lon, `POINT (${lon} ${lat})`] });
  }
  return out;
}

export function fakePortal(total = 5000) {
  const all = rows(total);
  const requests = [];
  const handler = (req, res, url) => {
    requests.push(url.searchParams);
    const limit = Number(url.searchParams.get('$limit') || 1000);
    let picked = all;
    const where = url.searchParams.get('$where');
    if (where) {
      const from = /date >= '([^']+)'/.exec(where)?.[1];
      const to = /date <= '([^']+)'/.exec(where)?.[1];
      picked = picked.filter((r) => (!from || r.iso >= from) && (!to || r.iso <= to));
    }
    const q = (s) => `"${s.replace(/"/g, '""')}"`;
    const body = [FIELDS.map(q).join(','), ...picked.slice(0, limit).map((r) => r.values.map(q).join(','))].join('\n') + '\n';
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'access-control-allow-origin': '*' });
    res.end(body);
  };
  return { handler, requests };
}
