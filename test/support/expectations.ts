import type { Response } from 'supertest';

/** An RFC 9457 problem document with this status, whose type ends with the given code. */
export function expectProblem(res: Response, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(typeof res.body.type).toBe('string');
  expect(res.body.type.endsWith(code)).toBe(true);
  expect(res.body.status).toBe(status);
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
}
