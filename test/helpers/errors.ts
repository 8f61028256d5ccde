// The contract's error answer (§1.3): the status, the stable code, a non-empty message (matching `message` when given).
import assert from 'node:assert/strict';

export function expectError(res: { statusCode: number; body: string }, status: number, code: string, message?: RegExp): { error: string; message: string } {
  assert.equal(res.statusCode, status, res.body);
  const b = JSON.parse(res.body) as { error: string; message: string };
  assert.equal(b.error, code, res.body);
  assert.ok(typeof b.message === 'string' && b.message.length > 0, res.body);
  if (message) assert.match(b.message, message);
  return b;
}
