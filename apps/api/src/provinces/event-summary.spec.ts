import { summarizeEvent } from './event-summary.js';

describe('summarizeEvent, with the council size known (the digest)', () => {
  test.each([
    ['APPOINT', { governor: 'Asaad Al-Eidani', votes: 13 }, 'Appointed Asaad Al-Eidani (13 of 23 votes)'],
    ['APPOINT', { governor: 'Asaad Al-Eidani', votes: 13, present: 20 }, 'Appointed Asaad Al-Eidani (13 of 23 votes, 20 present)'],
    ['APPOINT', { governor: 'Asaad Al-Eidani' }, 'Appointed Asaad Al-Eidani'],
    ['NOMINATE', { candidate: { name: 'Ali', bloc: 'Tasmim' } }, 'Nominated Ali (Tasmim)'],
    ['NOMINATE', { candidate: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني', bloc: 'Tasmim' } }, 'Nominated Asaad Al-Eidani (أسعد العيداني, Tasmim)'],
    ['WITHDRAW', { candidate: 'Ali', reason: 'deal' }, 'Ali withdrew: deal'],
    ['CONVENE', { chair: 'Eldest member' }, 'Council convened (chair: Eldest member)'],
    ['SET_DEADLINE', { deadline: '2024-02-19', basis: 'ruling' }, 'Deadline set to 2024-02-19 (ruling)'],
    ['DECREE', { decreeDate: '2024-02-12' }, 'Presidential decree recorded (dated 2024-02-12)'],
    ['REVOKE', { reason: 'decree refused' }, 'Appointment revoked: decree refused'],
  ] as const)('%s %j', (type, payload, expected) => {
    expect(summarizeEvent(type, payload as Record<string, unknown>, 23)).toBe(expected);
  });
});

test('without the council size the vote count stands alone (feeds, CSV)', () => {
  expect(summarizeEvent('APPOINT', { governor: 'Asaad Al-Eidani', votes: 16, present: 22 })).toBe('Appointed Asaad Al-Eidani (16 votes, 22 present)');
  expect(summarizeEvent('REPORT', { kind: 'session_failed', text: 'No quorum' })).toBe('session_failed: No quorum');
});
