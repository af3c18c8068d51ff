/** Which engine the suite runs on: PGlite by default, PostgreSQL for test:pg. */
export const TEST_ENGINE: "pglite" | "postgresql" =
  process.env.GONGZHI_TEST_DB === "postgresql" ? "postgresql" : "pglite";

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A URL for another database on the same PostgreSQL server. */
export function databaseUrl(name: string): string {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export const TEST_DEMO_PASSWORD = "Gongzhi@2026";
export const TEST_SEED = 4242;

/** Fixed field-encryption keys for the test run (templates and apps share them). */
export const TEST_KEYS = {
  GONGZHI_DATA_KEYS: "t1:dGVzdC1rZXktb25lLXRlc3Qta2V5LW9uZS10ZXN0LWs=",
  GONGZHI_INDEX_KEY: "dGVzdC1pbmRleC1rZXktdGVzdC1pbmRleC1rZXktdGVzdA==",
};
