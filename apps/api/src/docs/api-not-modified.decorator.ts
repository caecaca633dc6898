import { ApiResponse } from '@nestjs/swagger';

/** The 304 of a conditional GET, for any route that honours `If-None-Match` (it has no body, hence no content). */
export const NOT_MODIFIED_RESPONSE = { description: '`If-None-Match` names the current ETag: no body; the copy the client holds is current.' };

/** Documents a route's 304 Not Modified. Swagger metadata only; it changes no behaviour. */
export function ApiNotModified() {
  return ApiResponse({ status: 304, ...NOT_MODIFIED_RESPONSE });
}
