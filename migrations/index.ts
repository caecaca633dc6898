import { InitialSchema1764201600000 } from './1764201600000-InitialSchema.js';

/** Every migration, in order. Listed (not globbed) so that the app, the CLI and jest load the same set. */
export const MIGRATIONS = [InitialSchema1764201600000];
