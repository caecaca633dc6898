import { eventSummaryIn } from './event-catalogue.js';

/**
 * One line a reporter can read: what an event did, from its payload (and the council's size, when
 * known, for the vote count). The digest, the Atom feeds and the CSV history all say it this way;
 * each type's wording is its entry in the event catalogue.
 */
export const summarizeEvent = eventSummaryIn('en');
