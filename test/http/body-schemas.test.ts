// Body schemas are the validators of the JSON-body routes: each field declares the contract's code (errorCode),
// and the one mapper in src/http/errors.ts answers the first failure with it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyError } from '../../src/http/errors.js';
import { PROPERTY_KEY } from '../../src/query/registry/fields.js';
import { FunnelBody, PROPERTY_KEY_PATTERN, QueryBody } from '../../src/schemas/analytics.js';

test('the body schemas\' property-key pattern is the registry\'s rule', () => {
  assert.equal(PROPERTY_KEY_PATTERN, PROPERTY_KEY.source);
});

test('bodyError: the deepest declared code, the absent field\'s own code, and a message naming the field', () => {
  const enumError = bodyError({ keyword: 'enum', instancePath: '/steps/0/filters/1/op', schemaPath: '#/properties/steps/items/properties/filters/items/properties/op/enum', params: { allowedValues: ['eq', 'neq', 'contains'] }, message: 'x' }, FunnelBody);
  assert.equal(enumError.code, 'INVALID_FILTER_OP');
  assert.equal(enumError.message, 'steps[0].filters[1].op must be one of: eq, neq, contains');
  const inherited = bodyError({ keyword: 'minLength', instancePath: '/steps/1/event', schemaPath: '#/properties/steps/items/properties/event/minLength', params: {}, message: 'must NOT have fewer than 1 characters' }, FunnelBody);
  assert.equal(inherited.code, 'INVALID_FUNNEL_STEPS');
  assert.match(inherited.message, /^steps\[1\]\.event must NOT have fewer than 1 characters; send 2-8 steps/);
  const absentKey = bodyError({ keyword: 'required', instancePath: '/steps/0/filters/0', schemaPath: '#/properties/steps/items/properties/filters/items/required', params: { missingProperty: 'property' }, message: 'x' }, FunnelBody);
  assert.equal(absentKey.code, 'INVALID_PROPERTY_KEY');
  // `value` declares a code for a wrong value only: its absence answers with the filter's code.
  const absentValue = bodyError({ keyword: 'required', instancePath: '/filters/0', schemaPath: '#/properties/filters/items/required', params: { missingProperty: 'value' }, message: 'x' }, QueryBody);
  assert.equal(absentValue.code, 'INVALID_FILTER_FIELD');
  assert.match(absentValue.message, /^filters\[0\]\.value is required; each filter is an object with the three keys/);
  const plain = bodyError({ keyword: 'type', instancePath: '/date_from', schemaPath: '#/properties/date_from/type', params: {}, message: 'must be string' }, QueryBody);
  assert.deepEqual([plain.code, plain.message], ['INVALID_BODY', 'date_from must be string']);
});
