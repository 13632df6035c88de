import { CALL_STATUSES, WEBHOOK_EVENT_TYPES } from '../store/schema';
import { SCOPES } from './keys';

/**
 * The clinic API as OpenAPI 3.1 (served at /api/v1/openapi.json). Kept beside the routes and
 * checked against them by test/api.test.ts: every route here answers, every shape matches.
 */
export function openApiDocument(): Record<string, unknown> {
  const error = { $ref: '#/components/responses/Error' };
  const authErrors = { '401': error, '403': error };
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const param = (name: string, schema: Record<string, unknown>, description: string, where = 'query') => ({ name, in: where, required: where === 'path', schema, description });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Telephony bridge clinic API',
      version: '1',
      description: 'Results of the questionnaire calls the bridge runs, red flags, API keys and the audit log. Every route needs `Authorization: Bearer <key>`; scopes: ' + SCOPES.join(', ') + ' (admin holds all).',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths: {
      '/calls': {
        post: {
          summary: 'Place one outbound call now (Twilio), for a patient, with prompt variables',
          'x-scope': 'calls:write',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['phone', 'questionnaire'],
                  additionalProperties: false,
                  properties: {
                    phone: { type: 'string', description: 'E.164' },
                    questionnaire: { type: 'string' },
                    patient: { type: 'object', properties: { reference: { type: 'string' }, name: { type: 'string' } } },
                    custom: { type: 'object', additionalProperties: { type: 'string' } },
                  },
                },
              },
            },
          },
          responses: { '202': { description: 'The attempt, dialled (also when Twilio gave no clear answer but lists the call: adopted)' }, '400': error, ...authErrors, '409': error, '502': { description: 'twilio_refused (Twilio refused: the attempt is failed) or twilio_unclear (no clear answer and no call found yet: the attempt is left open; check it before placing the call again)' }, '503': error },
        },
        get: {
          summary: 'Calls, newest first, in pages',
          'x-scope': 'results:read',
          parameters: [
            param('status', { type: 'string', enum: [...CALL_STATUSES] }, 'Only calls with this status (in_progress: live calls on every instance).'),
            param('flagged', { type: 'string', enum: ['true', 'false'] }, 'Only calls with (true) or without (false) a red flag.'),
            param('questionnaire', { type: 'string' }, 'Questionnaire id.'),
            param('patient', { type: 'string' }, 'Patient reference, e.g. Patient/123.'),
            param('since', { type: 'string', format: 'date-time' }, 'Started at or after.'),
            param('until', { type: 'string', format: 'date-time' }, 'Started before.'),
            param('provider_call_id', { type: 'string' }, "The provider's call id (Twilio CallSid)."),
            param('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 }, 'Page size.'),
            param('cursor', { type: 'string' }, '`next` of the previous page.'),
          ],
          responses: {
            '200': { description: 'A page of calls', content: { 'application/json': { schema: { type: 'object', required: ['calls', 'next'], properties: { calls: { type: 'array', items: ref('CallSummary') }, next: { type: ['string', 'null'] } } } } } },
            '400': error,
            ...authErrors,
          },
        },
      },
      '/flags': {
        get: {
          summary: 'Red flags across calls, newest first: the question as asked, the answer and the caller’s words, the call, who acknowledged',
          'x-scope': 'results:read',
          parameters: [
            param('status', { type: 'string', enum: ['open', 'acknowledged', 'all'], default: 'open' }, 'Open (not acknowledged), acknowledged, or all.'),
            param('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 }, 'Page size.'),
            param('cursor', { type: 'string' }, '`next` of the previous page.'),
          ],
          responses: { '200': { description: '{flags: [{id, item, action, value, raisedAt, acknowledgedAt, acknowledgedBy, callId, call, question, answer}], next}' }, '400': error, ...authErrors },
        },
      },
      '/console-users': {
        get: { summary: 'Console accounts (never their password)', 'x-scope': 'admin', responses: { '200': { description: '{users: [{id, username, displayName, scopes, createdAt, createdBy, disabledAt}]}' }, ...authErrors } },
        post: {
          summary: 'Create a named console account; the console acts with its scopes',
          'x-scope': 'admin',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['username', 'displayName', 'password', 'scopes'], additionalProperties: false, properties: { username: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' }, displayName: { type: 'string', maxLength: 100 }, password: { type: 'string', minLength: 12, maxLength: 200 }, scopes: { type: 'array', minItems: 1, items: { type: 'string', enum: [...SCOPES] } } } } } } },
          responses: { '201': { description: 'The account' }, '400': error, ...authErrors, '409': error },
        },
      },
      '/console-users/{id}': {
        delete: { summary: 'Disable an account; its sessions end at once', 'x-scope': 'admin', parameters: [param('id', { type: 'string', format: 'uuid' }, 'Account id.', 'path')], responses: { '200': { description: 'The disabled account' }, ...authErrors, '404': error } },
      },
      '/campaigns': {
        get: { summary: 'Campaigns, newest first, with their counts by patient state', 'x-scope': 'results:read', responses: { '200': { description: '{campaigns: [{id, name, questionnaire, status, createdAt, progress}]}' }, ...authErrors } },
        post: {
          summary: 'Start a campaign: patients called in order inside a calling window, with retries (JSON, or text/csv with name and questionnaire in the query)',
          'x-scope': 'calls:write',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['name', 'questionnaire', 'patients'],
                  properties: {
                    name: { type: 'string' },
                    questionnaire: { type: 'string' },
                    window: {
                      type: 'object',
                      properties: { timeZone: { type: 'string', default: 'Asia/Riyadh' }, days: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 7 } }, start: { type: 'string', pattern: '^\\d{2}:\\d{2}$' }, end: { type: 'string' }, excludedDates: { type: 'array', items: { type: 'string', format: 'date' } } },
                    },
                    maxAttempts: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
                    retryMinutes: { type: 'object', properties: { no_answer: { type: 'number' }, busy: { type: 'number' }, failed: { type: 'number' }, voicemail: { type: 'number' } } },
                    concurrency: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
                    callsPerSecond: { type: 'number', minimum: 0.1, maximum: 30, default: 1 },
                    callbacks: { type: 'string', enum: ['off', 'anonymous', 'attested', 'trusted'], default: 'attested', description: 'A patient ringing back: matched or not, and when they hear their own variables.' },
                    voicemail: { type: 'string', enum: ['message', 'hang_up'], default: 'message', description: 'An answering machine: leave the questionnaire’s voicemail message, or hang up.' },
                    patients: { type: 'array', items: { type: 'object', required: ['phone'], properties: { phone: { type: 'string', description: 'E.164' }, reference: { type: 'string' }, name: { type: 'string' }, custom: { type: 'object', additionalProperties: { type: 'string' } } } } },
                  },
                },
              },
              'text/csv': { schema: { type: 'string', description: 'Header row phone,reference,name,<custom columns…>' } },
            },
          },
          responses: { '201': { description: 'The campaign with its progress' }, '400': error, ...authErrors },
        },
      },
      '/campaigns/{id}': {
        get: { summary: 'A campaign: counts by state and, per patient in order, attempts, last outcome, next attempt and the calls placed (no phone numbers)', 'x-scope': 'results:read', parameters: [param('id', { type: 'string', format: 'uuid' }, 'Campaign id.', 'path')], responses: { '200': { description: 'The campaign' }, ...authErrors, '404': error } },
      },
      ...Object.fromEntries(
        (['pause', 'resume', 'cancel'] as const).map((action) => [
          `/campaigns/{id}/${action}`,
          { post: { summary: `${action[0]?.toUpperCase()}${action.slice(1)} the campaign`, 'x-scope': 'calls:write', parameters: [param('id', { type: 'string', format: 'uuid' }, 'Campaign id.', 'path')], responses: { '200': { description: '{id, status}' }, '400': error, ...authErrors, '404': error } } },
        ]),
      ),
      '/attempts/{id}': {
        get: { summary: 'A call attempt (a dial, or a matched call-back): direction, status (queued, then Twilio’s), the call id, machine detection’s verdict', 'x-scope': 'results:read', parameters: [param('id', { type: 'string', format: 'uuid' }, 'Attempt id.', 'path')], responses: { '200': { description: 'The attempt' }, ...authErrors, '404': error } },
      },
      '/do-not-call': {
        get: { summary: 'Numbers never called (opt-outs and the clinic’s own)', 'x-scope': 'calls:write', responses: { '200': { description: '{entries: [{phone, reason, callId, addedBy, addedAt}]}' }, ...authErrors } },
        post: {
          summary: 'Add a number',
          'x-scope': 'calls:write',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['phone'], properties: { phone: { type: 'string' }, reason: { type: 'string' } } } } } },
          responses: { '201': { description: 'Added (or already there)' }, '400': error, ...authErrors },
        },
      },
      '/do-not-call/{id}': { delete: { summary: 'Remove a number (its E.164 form, URL-encoded)', 'x-scope': 'admin', parameters: [param('id', { type: 'string' }, 'The number.', 'path')], responses: { '204': { description: 'Removed' }, ...authErrors, '404': error } } },
      '/overview': {
        get: {
          summary: 'Calls per day by outcome, flags per day, completion rate and median call length, for a period (default the last 30 days) and optionally one questionnaire',
          'x-scope': 'results:read',
          parameters: [
            param('questionnaire', { type: 'string' }, 'One questionnaire id.'),
            param('since', { type: 'string', format: 'date-time' }, 'Calls started at or after.'),
            param('until', { type: 'string', format: 'date-time' }, 'Calls started before.'),
            param('tz', { type: 'string', default: 'Asia/Riyadh' }, 'The time zone whose calendar days the figures are grouped by.'),
          ],
          responses: { '200': { description: '{questionnaire, timeZone, since, until, calls, completionRate, medianSeconds, days: [{date, byStatus, flags}]}' }, '400': error, ...authErrors },
        },
      },
      '/calls/live': {
        get: { summary: 'Calls in progress on every instance, oldest first, each with the question it is on (the one after its last committed answer), its duration so far and its instance', 'x-scope': 'results:read', responses: { '200': { description: '{calls: [{id, provider, direction, questionnaire, patient, startedAt, instance, currentItem, answered}]}' }, ...authErrors } },
      },
      '/calls/{id}': {
        get: {
          summary: 'One call with its answers, red flags and timeline',
          'x-scope': 'results:read',
          parameters: [param('id', { type: 'string', format: 'uuid' }, "The bridge's call id.", 'path')],
          responses: { '200': { description: 'The call', content: { 'application/json': { schema: ref('CallDetail') } } }, ...authErrors, '404': error },
        },
      },
      '/flags/{id}/acknowledge': {
        post: {
          summary: 'Record who took care of a red flag (the first acknowledgement stands)',
          'x-scope': 'flags:write',
          parameters: [param('id', { type: 'integer' }, 'The flag id from a call.', 'path')],
          requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties: { by: { type: 'string', maxLength: 100, description: 'The person, recorded with the key name.' } } } } } },
          responses: { '200': { description: 'The flag', content: { 'application/json': { schema: { allOf: [ref('Flag'), { type: 'object', properties: { callId: { type: 'string', format: 'uuid' } } }] } } } }, '400': error, ...authErrors, '404': error },
        },
      },
      '/keys': {
        get: { summary: 'API keys (never their secret)', 'x-scope': 'admin', responses: { '200': { description: 'Keys', content: { 'application/json': { schema: { type: 'object', properties: { keys: { type: 'array', items: ref('ApiKey') } } } } } }, ...authErrors } },
        post: {
          summary: 'Create a key; the response is the only time it is shown',
          'x-scope': 'admin',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['name', 'scopes'], additionalProperties: false, properties: { name: { type: 'string', maxLength: 100 }, scopes: { type: 'array', minItems: 1, items: { type: 'string', enum: [...SCOPES] } } } } } } },
          responses: { '201': { description: 'The key', content: { 'application/json': { schema: { allOf: [ref('ApiKey'), { type: 'object', required: ['key'], properties: { key: { type: 'string' } } }] } } } }, '400': error, ...authErrors },
        },
      },
      '/keys/{id}': {
        delete: { summary: 'Revoke a key', 'x-scope': 'admin', parameters: [param('id', { type: 'string', format: 'uuid' }, 'Key id.', 'path')], responses: { '200': { description: 'The revoked key', content: { 'application/json': { schema: ref('ApiKey') } } }, ...authErrors, '404': error } },
      },
      '/audit': {
        get: {
          summary: 'Who accessed health data, newest first',
          'x-scope': 'admin',
          parameters: [param('limit', { type: 'integer', minimum: 1, maximum: 500, default: 100 }, 'Page size.'), param('cursor', { type: 'string' }, '`next` of the previous page.'), param('action', { type: 'string' }, 'e.g. call.read')],
          responses: { '200': { description: 'Entries', content: { 'application/json': { schema: { type: 'object', properties: { entries: { type: 'array', items: ref('AuditEntry') }, next: { type: ['string', 'null'] } } } } } }, '400': error, ...authErrors },
        },
      },
      '/questionnaires': {
        get: { summary: 'The live questionnaires (the highest version of each id)', 'x-scope': 'questionnaires:write or results:read', responses: { '200': { description: 'id, version, title, items' }, ...authErrors } },
        post: {
          summary: 'Upload a version (YAML, JSON or a FHIR Questionnaire): validated, prompts rendered, stored, then live for new calls',
          'x-scope': 'questionnaires:write',
          requestBody: { required: true, content: { 'application/yaml': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object' } }, 'application/fhir+json': { schema: { type: 'object' } } } },
          responses: {
            '201': { description: 'Stored and live: {id, version, items, active, warnings}' },
            '200': { description: 'The same version and content again: nothing changed' },
            '400': { description: 'questionnaire_invalid, with `problems`: every problem at once' },
            ...authErrors,
            '409': error,
            '415': error,
            '503': error,
          },
        },
      },
      '/questionnaires/{id}/versions': {
        get: { summary: 'Every stored version, newest first, with the live one marked', 'x-scope': 'questionnaires:write or results:read', parameters: [param('id', { type: 'string' }, 'Questionnaire id.', 'path')], responses: { '200': { description: '{id, versions: [{version, loadedAt, active}]}' }, ...authErrors, '404': error } },
      },
      '/questionnaires/simulate': {
        post: {
          summary: 'A draft (YAML or JSON text), checked like an upload and run through the simulator; nothing is stored or made live. Problems come with the source line each names (problemLines)',
          'x-scope': 'questionnaires:write',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['definition', 'turns'], additionalProperties: false, properties: { definition: { type: 'string', maxLength: 262144 }, turns: { type: 'array', maxItems: 200, items: { type: 'string', maxLength: 500 } } } } } } },
          responses: { '200': { description: '{questionnaire, warnings, lines}' }, '400': error, ...authErrors },
        },
      },
      '/questionnaires/{id}/simulate': {
        post: {
          summary: 'The text simulator: caller turns in ("#1" is keypad, "" silence, else words), what the bridge would say and record out',
          'x-scope': 'questionnaires:write or results:read',
          parameters: [param('id', { type: 'string' }, 'Questionnaire id (its live version).', 'path')],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['turns'], properties: { turns: { type: 'array', maxItems: 200, items: { type: 'string', maxLength: 500 } } } } } } },
          responses: { '200': { description: '{questionnaire, lines}: say, answer, escalate, end, caller' }, '400': error, ...authErrors, '404': error },
        },
      },
      '/webhooks': {
        get: { summary: 'Active webhook subscriptions (never their secret)', 'x-scope': 'admin', responses: { '200': { description: '{webhooks: [...]}' }, ...authErrors } },
        post: {
          summary: 'Subscribe a receiver; the signing secret (whsec_…) is shown once',
          'x-scope': 'admin',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['url', 'events'], properties: { url: { type: 'string' }, events: { type: 'array', items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] } } } } } } },
          responses: { '201': { description: '{id, url, events, secret}' }, '400': error, ...authErrors },
        },
      },
      '/webhooks/{id}': { delete: { summary: 'Remove a subscription (its pending deliveries fail)', 'x-scope': 'admin', parameters: [param('id', { type: 'string', format: 'uuid' }, 'Subscription id.', 'path')], responses: { '204': { description: 'Removed' }, ...authErrors, '404': error, '409': error } } },
      '/webhooks/deliveries': {
        get: {
          summary: 'Deliveries, newest first',
          'x-scope': 'admin',
          parameters: [param('status', { type: 'string', enum: ['pending', 'delivered', 'failed'] }, 'Only this status.'), param('limit', { type: 'integer', minimum: 1, maximum: 100 }, 'Page size.'), param('cursor', { type: 'string' }, '`next` of the previous page.')],
          responses: { '200': { description: '{deliveries, next}' }, '400': error, ...authErrors },
        },
      },
      '/webhooks/deliveries/{id}/replay': { post: { summary: 'Send a delivery again, with the same webhook-id', 'x-scope': 'admin', parameters: [param('id', { type: 'integer' }, 'Delivery id.', 'path')], responses: { '200': { description: 'The delivery, pending again' }, ...authErrors, '404': error } } },
      '/instances': {
        get: {
          summary: 'The instances sharing this database: version, calls in progress against their limit, and live, draining or stale (no heartbeat for INSTANCE_STALE_SECONDS); with the service\'s capacity',
          'x-scope': 'admin',
          responses: { '200': { description: '{service: {instances, capacity, active}, instances: [{id, version, state, activeCalls, maxCalls, startedAt, heartbeatAt}]}' }, ...authErrors },
        },
      },
      '/diagnostics': {
        get: {
          summary: 'The bridge checks its own dependencies from where it runs: recognition key and Arabic model, the cloud voice key and voice id, store writable and migrated, disk room, clock, webhook receivers. What `npm run doctor` reads; no health data',
          'x-scope': 'admin',
          responses: {
            '200': {
              description: 'The report (each check pass, warn, fail or skip, with what it saw and the fix)',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['service', 'version', 'build', 'instance', 'publicUrl', 'checkedAt', 'checks'],
                    properties: {
                      service: { type: 'string' },
                      version: { type: 'string' },
                      build: { type: 'string' },
                      instance: { type: 'string' },
                      publicUrl: { type: ['string', 'null'] },
                      checkedAt: { type: 'string', format: 'date-time' },
                      checks: {
                        type: 'array',
                        items: {
                          type: 'object',
                          required: ['id', 'title', 'status', 'saw'],
                          properties: { id: { type: 'string', description: 'speech.key, speech.model, voice, store, disk, clock, webhooks' }, title: { type: 'string' }, status: { type: 'string', enum: ['pass', 'warn', 'fail', 'skip'] }, saw: { type: 'string' }, fix: { type: 'string' } },
                        },
                      },
                    },
                  },
                },
              },
            },
            ...authErrors,
          },
        },
      },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' }, '401': error } } },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      responses: {
        Error: { description: 'An error with a stable code', content: { 'application/json': { schema: { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string', description: 'Stable code, e.g. api_key_invalid, scope_missing, invalid_query, call_not_found' }, message: { type: 'string' } } } } } },
      },
      schemas: {
        CallSummary: {
          type: 'object',
          required: ['id', 'provider', 'providerCallId', 'direction', 'status', 'questionnaire', 'patient', 'startedAt', 'endedAt', 'flags'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            provider: { type: 'string', enum: ['twilio', 'maqsam'] },
            providerCallId: { type: 'string' },
            direction: { type: 'string', enum: ['inbound', 'outbound'] },
            status: { type: 'string', enum: [...CALL_STATUSES] },
            questionnaire: { type: 'object', required: ['id', 'version'], properties: { id: { type: 'string' }, version: { type: 'integer' } } },
            patient: { oneOf: [{ type: 'null' }, { type: 'object', required: ['reference'], properties: { reference: { type: 'string' } } }] },
            startedAt: { type: 'string', format: 'date-time' },
            endedAt: { type: ['string', 'null'], format: 'date-time' },
            flags: { type: 'integer', description: 'Red flags raised in the call' },
          },
        },
        Answer: {
          type: 'object',
          required: ['question', 'value', 'method', 'transcript', 'confidence', 'attempts', 'confirmed', 'answeredAt'],
          properties: {
            question: { type: ['string', 'null'], description: "The item's text as the call's questionnaire version words it (null once that version is gone)" },
            value: { description: 'boolean, number, string (choice code or free text)' },
            method: { type: 'string', enum: ['voice', 'dtmf'] },
            transcript: { type: ['string', 'null'] },
            confidence: { type: 'number' },
            attempts: { type: 'integer' },
            confirmed: { type: ['boolean', 'null'] },
            answeredAt: { type: 'string', format: 'date-time' },
          },
        },
        Flag: {
          type: 'object',
          required: ['id', 'item', 'action', 'value', 'raisedAt', 'acknowledgedAt', 'acknowledgedBy'],
          properties: {
            id: { type: 'integer' },
            item: { type: 'string' },
            action: { type: 'string', enum: ['emergency', 'transfer', 'flag'] },
            value: { description: 'The answer that raised it (null once purged by retention)' },
            raisedAt: { type: 'string', format: 'date-time' },
            acknowledgedAt: { type: ['string', 'null'], format: 'date-time' },
            acknowledgedBy: { type: ['string', 'null'] },
          },
        },
        Event: { type: 'object', required: ['at', 'type'], properties: { at: { type: 'string', format: 'date-time' }, type: { type: 'string' }, detail: { type: 'object' } } },
        CallDetail: {
          allOf: [
            { $ref: '#/components/schemas/CallSummary' },
            {
              type: 'object',
              required: ['answers', 'flags', 'events', 'purgedAt', 'answerCount'],
              properties: {
                answers: { type: 'object', additionalProperties: ref('Answer') },
                flags: { type: 'array', items: ref('Flag') },
                events: { type: 'array', items: ref('Event') },
                purgedAt: { type: ['string', 'null'], format: 'date-time' },
                answerCount: { type: ['integer', 'null'] },
              },
            },
          ],
        },
        ApiKey: {
          type: 'object',
          required: ['id', 'name', 'prefix', 'scopes', 'createdAt', 'createdBy', 'revokedAt'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            name: { type: 'string' },
            prefix: { type: 'string' },
            scopes: { type: 'array', items: { type: 'string', enum: [...SCOPES] } },
            createdAt: { type: 'string', format: 'date-time' },
            createdBy: { type: 'string' },
            revokedAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
        AuditEntry: {
          type: 'object',
          required: ['id', 'at', 'keyId', 'keyName', 'action', 'resource', 'source', 'detail'],
          properties: {
            id: { type: 'integer' },
            at: { type: 'string', format: 'date-time' },
            keyId: { type: ['string', 'null'] },
            keyName: { type: 'string' },
            action: { type: 'string' },
            resource: { type: ['string', 'null'] },
            source: { type: ['string', 'null'] },
            detail: { type: 'object' },
          },
        },
      },
    },
  };
}
