import type { Role } from '@app/database';
import type { ApiKeysRepository, LiveKey } from './api-keys.repository.js';
import { ApiKeysService, hashKey } from './api-keys.service.js';

/** A repository of one key whose look-up can be held in flight. */
function fakeRepository() {
  const key: LiveKey & { revoked: boolean } = { id: 'k1', name: 'night-desk', person: 'night-desk', role: 'editor' as Role, revoked: false };
  let hold: Promise<void> | null = null;
  const lookups: string[] = [];
  const repo = {
    async findLive(hash: string) {
      lookups.push(hash);
      const live = !key.revoked; // read when the statement runs, before the hold: as a database would
      if (hold) await hold;
      return live && hash === hashKey('secret') ? { id: key.id, name: key.name, person: key.person, role: key.role } : null;
    },
    async revoke(id: string) {
      key.revoked = true;
      return { id, name: key.name, person: key.person, role: key.role, keyHash: hashKey('secret'), createdAt: new Date(0), revokedAt: new Date(), nameFold: key.name };
    },
  };
  return {
    repo: repo as unknown as ApiKeysRepository,
    lookups,
    holdNext() {
      let release!: () => void;
      hold = new Promise((r) => (release = r));
      return () => {
        hold = null;
        release();
      };
    },
  };
}

describe('ApiKeysService key cache', () => {
  test('a check in flight when the key is revoked does not put the key back in the cache', async () => {
    const fake = fakeRepository();
    const keys = new ApiKeysService(fake.repo);
    const release = fake.holdNext();
    const inFlight = keys.authenticate('secret'); // reads the key as live, then waits
    await keys.revoke('k1');
    release();
    expect(await inFlight).toMatchObject({ keyId: 'k1' }); // it raced the revocation and read first
    expect(await keys.authenticate('secret')).toBeNull(); // …but the next request asks the database again
    expect(fake.lookups).toHaveLength(2);
  });

  test('without a revocation a checked key is remembered (one look-up for two requests)', async () => {
    const fake = fakeRepository();
    const keys = new ApiKeysService(fake.repo);
    expect(await keys.authenticate('secret')).toMatchObject({ keyId: 'k1', person: 'night-desk' });
    expect(await keys.authenticate('secret')).toMatchObject({ keyId: 'k1' });
    expect(fake.lookups).toHaveLength(1);
  });
});
