#!/usr/bin/env node
// Turns the reviewed research (iraq-2023-history.research.json) into the events of seeds/iraq-2023.json,
// the cycle document a new database is loaded with. Run: node seeds/research/build-seed.mjs
//
// What it changes, and why (each change is an editorial decision; docs/sources.md lists them):
// - occurredAt: the reported day at the reported time in Baghdad (UTC+3). When no time was reported, the
//   event says `occurredAtPrecision: 'day'` (only the day is claimed, and nothing prints a time for it) and
//   stands at 12:00 there, or at the time of a later event that day when that is earlier: the hour only
//   orders it among that day's events. The note says so.
// - note: the researcher's note, then the source's own words ("Source text: …"), for the editor who checks it.
// - an Arabic name published for an appointed governor goes on the nomination (the machine keeps names there).
// - EDITS below: events the machine cannot take in the reported order, or that would show something false.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const research = JSON.parse(readFileSync(join(here, 'iraq-2023-history.research.json'), 'utf8'));
const seedPath = join(here, '..', 'iraq-2023.json');
const seed = JSON.parse(readFileSync(seedPath, 'utf8'));

const asReport = (kind, text, why) => (e) => ({ ...e, type: 'REPORT', payload: { kind, text }, note: [why, e.note].filter(Boolean).join(' ') });
const drop = () => null;

/** Per province: the research event's index → what ships instead (null: not shipped). */
const EDITS = {
  baghdad: {
    // The 3 July 2025 dismissal and Haidar Mohan's election were reversed "days later" on a day no source
    // gives: as state changes they would show him governor until 26 July. One dated report says what happened.
    3: asReport(
      'note',
      "The council voted in an emergency session to dismiss Governor Abdul-Mutalib al-Alawi and elected Haidar Mohan al-Fayyadh; the decision was reversed days later in a follow-up session.",
      'Recorded as a report, not as a vacancy and an election: the reversal\'s date is not reported (Shafaq, "just days later": https://www.shafaq.com/en/Iraq/SLC-names-Baghdad-Governor-pick), so al-Alawi stays governor in the record.',
    ),
    4: drop,
    5: drop,
    // He disputed the retirement vote while still in office: a dispute of a removal not yet in force, not of his appointment.
    7: (e) =>
      asReport(
        'note',
        `Governor al-Alawi rejects the retirement decision: ${e.payload.grounds}.`,
        'Recorded as a report: CONTEST would dispute his appointment, and the retirement was not in force until the President approved it on 26 July.',
      )(e),
    // A party's pick before the seat was vacant; the election on 27 July is where the nomination shows.
    8: asReport('note', 'The State of Law Coalition names Atwan al-Atwani as its candidate for governor.', 'Recorded as a report: the governorship was not vacant until 26 July.'),
  },
  'dhi-qar': {
    // Named while al-Ibrahimi was still governor; the nomination before the vote on 24 December is added below.
    8: asReport('note', 'The National Wisdom Movement (Hikma) nominates Haitham al-Hamadani to replace Governor al-Ibrahimi.', 'Recorded as a report: the governorship was not vacant until 24 December.'),
  },
  qadisiyah: {
    // A 30-day suspension, not a vacancy: the governor stays in office (and refused to comply).
    3: asReport('note', 'The council suspends Governor Abbas al-Zamili for 30 days over alleged corruption and names Imad al-Shibli interim.', 'Recorded as a report: a suspension is not a vacancy, and no acting governor holds office while a governor is in it.'),
    4: (e) => asReport('note', `Governor al-Zamili rejects the suspension: ${e.payload.grounds}.`, 'Recorded as a report: he disputes the suspension, not an appointment.')(e),
  },
  muthanna: {
    // The appointment is already contested (the outgoing governor, 24 Feb); the second objection is reported.
    9: (e) => asReport('note', `${e.payload.by}: ${e.payload.grounds}`, 'Recorded as a report: the appointment was already contested the day before.')(e),
  },
};

/** Nominations the vote implies, where the reported order puts the party's pick before the vacancy. */
const ADD_BEFORE = {
  baghdad: {
    // before the APPOINT of 27 July (research index 11)
    11: (research) => ({ ...research.baghdad[8], type: 'NOMINATE', date: '2025-07-27', payload: { candidate: research.baghdad[8].payload.candidate }, note: 'nomination implied by the election of 27 July; the State of Law Coalition named him on 24 July (Shafaq).' }),
  },
  'dhi-qar': {
    // before the APPOINT of 24 December (research index 10), the name as the election report gives it
    10: (research) => ({ ...research['dhi-qar'][8], type: 'NOMINATE', date: '2025-12-24', payload: { candidate: { ...research['dhi-qar'][8].payload.candidate, name: research['dhi-qar'][10].payload.governor } }, note: 'nomination implied by the election of 24 December; Hikma named him on 21 December (Shafaq).' }),
  },
};

/** The day at its reported time; an untimed event at 12:00, or at the time of a later event that day when that is earlier. */
function withTimes(events) {
  return events.map((e, i) => {
    if (e.time) return { ...e, stands: null };
    const later = events.slice(i + 1).find((n) => n.date === e.date && n.time && n.time < '12:00');
    return { ...e, time: later?.time ?? '12:00', stands: later ? later.time : '12:00' };
  });
}

function toEvent(e) {
  const notes = [e.note];
  if (e.stands) {
    notes.push(
      `Time of day not reported: the day is the claim (occurredAtPrecision: day); ${e.stands} Baghdad time only orders it among that day's events${e.stands === '12:00' ? '' : " (the time of that day's vote, which it preceded)"}.`,
    );
  }
  if (e.quote) notes.push(`Source text: “${e.quote}”`);
  return {
    type: e.type,
    ...e.payload,
    occurredAt: `${e.date}T${e.time}:00+03:00`,
    ...(e.stands ? { occurredAtPrecision: 'day' } : {}),
    source: e.source,
    confidence: e.confidence,
    note: notes.filter(Boolean).join(' '),
  };
}

for (const council of seed.councils) {
  const rows = research[council.slug] ?? [];
  const out = [];
  rows.forEach((row, index) => {
    const add = ADD_BEFORE[council.slug]?.[index];
    if (add) out.push(add(research));
    const edit = EDITS[council.slug]?.[index];
    const shipped = edit ? edit(row) : row;
    if (shipped) out.push(shipped);
  });
  // An Arabic name published for the governor belongs on the nomination the machine keeps.
  for (const e of out) {
    if (e.type !== 'APPOINT' || !e.nameAr) continue;
    const nominee = [...out].reverse().find((n) => n.type === 'NOMINATE' && n.payload.candidate.name === e.payload.governor && n.date <= e.date);
    if (nominee && !nominee.payload.candidate.nameAr) nominee.payload.candidate = { ...nominee.payload.candidate, nameAr: e.nameAr };
  }
  council.events = withTimes(out).map(toEvent);
}

writeFileSync(seedPath, `${JSON.stringify(seed, null, 2)}\n`);
process.stdout.write(`${seedPath}: ${seed.councils.reduce((n, c) => n + c.events.length, 0)} events\n`);
