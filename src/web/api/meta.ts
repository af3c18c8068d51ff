/** Public facts about this installation (/api/meta), fetched once per page load. */
import { useEffect, useState } from "react";
import { api } from "./client.js";

export interface Meta {
  version: string;
  mapTileUrl: string | null;
  mapTileAttribution: string | null;
  district: { code: string; name: string } | null;
  /** The largest spreadsheet an import accepts. */
  importMaxBytes: number;
}

let pending: Promise<Meta> | null = null;

export function loadMeta(): Promise<Meta> {
  pending ??= api<Meta>("/api/meta", { expectUnauthenticated: true }).catch((err: unknown) => {
    pending = null; // let the next caller try again
    throw err;
  });
  return pending;
}

/** The metadata, or undefined while loading or when it could not be fetched. */
export function useMeta(): Meta | undefined {
  const [meta, setMeta] = useState<Meta>();
  useEffect(() => {
    let live = true;
    loadMeta().then(
      (m) => live && setMeta(m),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return meta;
}
