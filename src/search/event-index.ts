import type { OpenSearchConfig } from '../config/config-types.js';

/** Settings of the event index (spec storage.md 3.2), from `opensearch.properties`. */
export function eventIndexSettings(c: Pick<OpenSearchConfig, 'nbShards' | 'nbReplica' | 'eventsMinNgram' | 'eventsMaxNgramDiff'>): Record<string, unknown> {
  return {
    number_of_shards: c.nbShards,
    number_of_replicas: c.nbReplica,
    index: { max_ngram_diff: c.eventsMaxNgramDiff },
    analysis: {
      normalizer: { case_insensitive: { type: 'custom', filter: ['lowercase', 'asciifolding'] } },
      filter: {
        edge_ngram_filter: { type: 'edge_ngram', min_gram: c.eventsMinNgram, max_gram: c.eventsMinNgram + c.eventsMaxNgramDiff },
        preserved_ascii_folding_filter: { type: 'asciifolding', preserve_original: true },
      },
      analyzer: {
        calendar_event_cn_name_analyzer: { type: 'custom', tokenizer: 'standard', filter: ['edge_ngram_filter', 'lowercase', 'preserved_ascii_folding_filter'] },
        // [later] analyzer, declared so that names are not edge-ngrammed at query time ("Point" must not hit "Poizat")
        calendar_event_cn_name_search_analyzer: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'preserved_ascii_folding_filter'] },
        calendar_event_keep_mail_and_url_analyzer: { type: 'custom', tokenizer: 'uax_url_email', filter: ['lowercase', 'stop'] },
        calendar_event_location_analyzer: { type: 'custom', tokenizer: 'standard', filter: ['lowercase'] },
      },
    },
  };
}

const person = {
  properties: {
    email: { type: 'text', analyzer: 'standard', fields: { raw: { type: 'keyword', normalizer: 'case_insensitive' } } },
    cn: { type: 'text', analyzer: 'calendar_event_cn_name_analyzer', search_analyzer: 'calendar_event_cn_name_search_analyzer' },
  },
};

/**
 * Fields added to the mapping after indexes were created with it: `init` adds them to an existing index (new fields
 * only, which OpenSearch allows). Without that, the dynamic mapping would make `bookingLinkId` an analysed text field
 * on the first document carrying it, and the exact booking-link filter would never match. Same types as the reference.
 */
export const EVENT_INDEX_ADDED_FIELDS = {
  videoconferenceUrl: { type: 'keyword', index: false },
  bookingLinkId: { type: 'keyword' },
  resourceName: { type: 'keyword', index: false },
} as const;

/** Core mapping (accountId as the owner key) plus `recurrenceId`, which our document ids need, and the added fields. */
export const EVENT_INDEX_MAPPING = {
  properties: {
    accountId: { type: 'keyword' },
    eventUid: { type: 'keyword' },
    calendarURL: { type: 'keyword' },
    summary: { type: 'text', analyzer: 'calendar_event_keep_mail_and_url_analyzer' },
    location: { type: 'text', analyzer: 'calendar_event_location_analyzer' },
    description: { type: 'text', analyzer: 'standard' },
    organizer: person,
    attendees: person,
    resources: person,
    start: { type: 'date' },
    end: { type: 'date', index: false },
    dtstamp: { type: 'date', index: false },
    userId: { type: 'keyword', index: false },
    clazz: { type: 'keyword', index: false },
    allDay: { type: 'boolean', index: false },
    isRecurrentMaster: { type: 'boolean', index: false },
    recurrenceId: { type: 'keyword', index: false },
    ...EVENT_INDEX_ADDED_FIELDS,
  },
} as const;
