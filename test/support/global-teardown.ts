import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  if (process.env.GT_TEMPLATE_DATA_DIR) rmSync(process.env.GT_TEMPLATE_DATA_DIR, { recursive: true, force: true });
}
