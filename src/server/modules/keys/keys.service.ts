/**
 * Data-key rotation. The keyring encrypts with its first (active) key and
 * decrypts with any key it holds; after a new key is put first, `reencrypt`
 * rewrites every value still under an older key, column by column in small
 * transactions, so the old key can then be dropped from the configuration.
 * Blind indexes use a separate secret and stay valid throughout.
 */
import type { Kysely } from "kysely";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { DB } from "../../db/schema.js";
import { recordAudit } from "../audit/audit.service.js";
import * as repo from "./keys.repository.js";

export interface KeysDeps {
  db: Kysely<DB>;
  fieldCrypto: FieldCrypto;
}

export interface ColumnKeyStatus {
  column: string;
  byKey: { keyId: string; count: number }[];
}

/** How many values each data key encrypts, per column. */
export async function keyStatus(deps: KeysDeps): Promise<ColumnKeyStatus[]> {
  const out: ColumnKeyStatus[] = [];
  for (const c of repo.ENCRYPTED_COLUMNS) {
    out.push({ column: columnName(c), byKey: await repo.countByKey(deps.db, c) });
  }
  return out;
}

export interface ReencryptResult {
  activeKeyId: string;
  columns: { column: string; rewritten: number; failed: number }[];
  /** Values that could not be decrypted (unknown key, tampered): left as they are. */
  failures: { column: string; id: string; reason: string }[];
}

const MAX_FAILURES_KEPT = 100;

export async function reencrypt(
  deps: KeysDeps,
  opts: { batchSize?: number; onProgress?: (column: string, rewritten: number) => void } = {},
): Promise<ReencryptResult> {
  const batchSize = opts.batchSize ?? 1000;
  const active = deps.fieldCrypto.activeKeyId;
  const result: ReencryptResult = { activeKeyId: active, columns: [], failures: [] };
  for (const c of repo.ENCRYPTED_COLUMNS) {
    const name = columnName(c);
    let after = "0";
    let rewritten = 0;
    let failed = 0;
    for (;;) {
      const rows = await repo.staleValues(deps.db, c, active, after, batchSize);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]?.id ?? after;
      const changes: { id: string; from: string; to: string }[] = [];
      for (const r of rows) {
        try {
          const plain = deps.fieldCrypto.decrypt(r.value, c.context);
          changes.push({ id: r.id, from: r.value, to: deps.fieldCrypto.encrypt(plain, c.context) });
        } catch (err) {
          failed++;
          if (result.failures.length < MAX_FAILURES_KEPT) {
            result.failures.push({ column: name, id: r.id, reason: (err as Error).message });
          }
        }
      }
      rewritten += await deps.db
        .transaction()
        .execute((trx) => repo.replaceValues(trx, c, changes));
      opts.onProgress?.(name, rewritten);
    }
    result.columns.push({ column: name, rewritten, failed });
  }
  await deps.db.transaction().execute((trx) =>
    recordAudit(
      trx,
      { actor: null },
      {
        action: "keys.reencrypted",
        subjectType: "database",
        details: {
          activeKeyId: active,
          columns: result.columns,
          failed: result.columns.reduce((n, c) => n + c.failed, 0),
        },
      },
    ),
  );
  return result;
}

function columnName(c: repo.EncryptedColumn): string {
  return `${c.table}.${c.column}${"json" in c ? `.${c.json}` : ""}`;
}
