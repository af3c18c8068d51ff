/**
 * Background tiles on a Leaflet map, only when the server configures a tile
 * URL (our maps draw our own boundaries and need none); replaced when the URL
 * changes, removed with the component.
 */
import L from "leaflet";
import { type RefObject, useEffect } from "react";

export function useTileLayer(
  mapRef: RefObject<L.Map | null>,
  tileUrl: string | null,
  tileAttribution: string | null,
) {
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !tileUrl) return;
    const tiles = L.tileLayer(tileUrl, {
      maxZoom: 19,
      ...(tileAttribution ? { attribution: tileAttribution } : {}),
    }).addTo(map);
    return () => {
      tiles.remove();
    };
  }, [mapRef, tileUrl, tileAttribution]);
}
