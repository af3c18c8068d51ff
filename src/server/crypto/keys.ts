/**
 * Where the field-encryption keys come from: GONGZHI_DATA_KEYS and
 * GONGZHI_INDEX_KEY in the environment, or — for the zero-setup mode —
 * DATA_DIR/secret-keys.json, created on first use with mode 0600.
 */
import fs from "node:fs";
import path from "node:path";
import {
  createFieldCrypto,
  type FieldCrypto,
  generateKeyringForDev,
  type KeyringSettings,
  parseKeyring,
} from "./field-crypto.js";

export const KEY_FILE = "secret-keys.json";

export function loadFieldCrypto(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  warn: (message: string) => void = () => {},
): FieldCrypto {
  if (env.GONGZHI_DATA_KEYS || env.GONGZHI_INDEX_KEY) {
    return createFieldCrypto(
      parseKeyring({
        GONGZHI_DATA_KEYS: env.GONGZHI_DATA_KEYS,
        GONGZHI_INDEX_KEY: env.GONGZHI_INDEX_KEY,
      }),
    );
  }
  const file = path.join(dataDir, KEY_FILE);
  let settings: KeyringSettings;
  if (fs.existsSync(file)) {
    settings = JSON.parse(fs.readFileSync(file, "utf8")) as KeyringSettings;
  } else {
    settings = generateKeyringForDev();
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    warn(
      `Generated field-encryption keys in ${file}. Back this file up with the database: without it the personal data cannot be read. In production set GONGZHI_DATA_KEYS and GONGZHI_INDEX_KEY instead.`,
    );
  }
  return createFieldCrypto(parseKeyring(settings));
}
