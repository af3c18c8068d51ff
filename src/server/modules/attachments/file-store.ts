/**
 * Where attachment bytes live. `LocalFileStore` keeps them under
 * `DATA_DIR/files`, written to a temporary name and renamed, so a crash never
 * leaves half a file under a real key.
 */
import fs from "node:fs/promises";
import path from "node:path";

export interface FileStore {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
}

export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string) {
    // Keys are ours ("cases/12/3f…"), never a client's: still, stay inside the root.
    const p = path.resolve(this.root, key);
    if (!p.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`bad file key ${key}`);
    return p;
  }

  async put(key: string, bytes: Buffer) {
    const p = this.pathOf(key);
    await fs.mkdir(path.dirname(p), { recursive: true });
    const tmp = `${p}.part`;
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, p);
  }

  get(key: string) {
    return fs.readFile(this.pathOf(key));
  }

  async remove(key: string) {
    await fs.rm(this.pathOf(key), { force: true });
  }
}
