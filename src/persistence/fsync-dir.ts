import { errnoOf, type PersistenceFs } from './persistence-env.js';

/**
 * Makes a directory's entries durable (a file just created, renamed or removed in it): without
 * this, a power cut can leave an fsynced file without its name. File systems that refuse fsync
 * on a directory (EINVAL, EISDIR, EBADF) have nothing to sync there.
 */
export async function fsyncDir(fs: PersistenceFs, dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } catch (err) {
    const code = errnoOf(err);
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EBADF') throw err;
  } finally {
    await fh.close();
  }
}
