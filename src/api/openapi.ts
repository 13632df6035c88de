import { CALL_STATUSES } from '../store/schema';
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
          'x-scope': 'results:read',
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
          required: ['value', 'method', 'transcript', 'confidence', 'attempts', 'confirmed', 'answeredAt'],
          properties: {
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
