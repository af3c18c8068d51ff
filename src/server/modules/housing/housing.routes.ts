/** HTTP for buildings (standard addresses) and units (actual housing). */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import type { Unit } from "../../../shared/schemas/housing.js";
import {
  addressSchema,
  addressSearchQuery,
  buildingListQuery,
  buildingSchema,
  createBuildingBody,
  createUnitBody,
  unitDetailSchema,
  unitListQuery,
  unitMapQuery,
  unitMapSchema,
  unitSchema,
  updateUnitBody,
} from "../../../shared/schemas/housing.js";
import { authorize } from "../../plugins/auth.js";
import { canEditAnyBaseData, isStaff } from "../access/access.policy.js";
import { sendXlsx } from "../exports/xlsx-export.js";
import { findAreaByCode } from "../geo/areas.service.js";
import * as service from "./housing.service.js";

export async function housingRoutes(app: FastifyInstance, deps: service.HousingDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["housing"];
  const gridPathOf = async (code: string | undefined) =>
    code === undefined ? undefined : ((await findAreaByCode(deps, code))?.path ?? "/none/");

  r.get(
    "/api/buildings",
    {
      schema: {
        tags,
        summary: "List buildings (standard addresses) in your scope",
        querystring: buildingListQuery,
        response: { 200: listOf(buildingSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, isStaff);
      const { gridCode, ...rest } = request.query;
      return service.listBuildings(deps, actor, { ...rest, gridPath: await gridPathOf(gridCode) });
    },
  );

  r.post(
    "/api/buildings",
    {
      schema: {
        tags,
        summary: "Add a building; its grid is found from the coordinates",
        body: createBuildingBody,
        response: { 201: buildingSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, canEditAnyBaseData);
      return reply
        .status(201)
        .send(await service.createBuilding(deps, actor, request.body, String(request.id)));
    },
  );

  r.get(
    "/api/addresses",
    {
      schema: {
        tags,
        summary:
          "Look up standard addresses (units) by text, for anyone signed in: addresses and ids only, at most 10",
        querystring: addressSearchQuery,
        response: { 200: listOf(addressSchema) },
      },
    },
    async (request) => {
      authorize(request, (a) => a.grants.length > 0);
      return service.searchAddresses(deps, request.query.q);
    },
  );

  r.get(
    "/api/units",
    {
      schema: {
        tags,
        summary: "List units (filters: text, grid, building, rental, overcrowded)",
        querystring: unitListQuery,
        response: { 200: listOf(unitSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, (a) => a.grants.length > 0);
      const { gridCode, rental, overcrowded, ...rest } = request.query;
      return service.listUnits(deps, actor, {
        ...rest,
        gridPath: await gridPathOf(gridCode),
        ...(rental ? { rental: rental === "true" } : {}),
        ...(overcrowded ? { overcrowded: true } : {}),
      });
    },
  );

  r.get(
    "/api/units/export.xlsx",
    {
      schema: {
        tags,
        summary: "The unit list, with the same filters, as XLSX",
        querystring: unitListQuery.omit({ limit: true, offset: true }),
      },
    },
    async (request, reply) => {
      const actor = authorize(request, (a) => a.grants.length > 0);
      const { gridCode, rental, overcrowded, ...rest } = request.query;
      const filters = {
        ...rest,
        gridPath: await gridPathOf(gridCode),
        ...(rental ? { rental: rental === "true" } : {}),
        ...(overcrowded ? { overcrowded: true } : {}),
      };
      await sendXlsx(
        reply,
        "实有房屋.xlsx",
        "实有房屋",
        [
          { header: "地址", width: 32, value: (u: Unit) => u.address },
          { header: "楼层", value: (u) => u.floor },
          { header: "面积(㎡)", value: (u) => u.floorAreaM2 },
          { header: "出租", value: (u) => (u.isRental ? "是" : "否") },
          { header: "核定人数", value: (u) => u.declaredCapacity },
          { header: "居住人数", value: (u) => u.occupants },
          { header: "群租", value: (u) => (u.overcrowding.overcrowded ? "是" : "否") },
          { header: "房东", width: 28, value: (u) => u.landlord?.name ?? null },
        ],
        (limit, offset) => service.listUnits(deps, actor, { ...filters, limit, offset }),
      );
      return reply;
    },
  );

  r.get(
    "/api/units/map",
    {
      schema: {
        tags,
        summary:
          "Units on the map inside bbox=west,south,east,north: counts per cell (with overcrowded) when zoomed out, the units themselves when few enough are in view",
        querystring: unitMapQuery,
        response: { 200: unitMapSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, (a) => a.grants.length > 0);
      const { gridCode, rental, overcrowded, ...rest } = request.query;
      return service.mapUnits(deps, actor, {
        ...rest,
        gridPath: await gridPathOf(gridCode),
        ...(rental ? { rental: rental === "true" } : {}),
        ...(overcrowded ? { overcrowded: true } : {}),
      });
    },
  );

  r.get(
    "/api/units/:id",
    {
      schema: {
        tags,
        summary:
          "One unit with its overcrowding assessment, building, grid, current residents and history of moves",
        params: idParam,
        response: { 200: unitDetailSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, (a) => a.grants.length > 0);
      return service.getUnitDetail(deps, actor, request.params.id);
    },
  );

  r.post(
    "/api/units",
    {
      schema: {
        tags,
        summary: "Add a unit to a building",
        body: createUnitBody,
        response: { 201: unitSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, canEditAnyBaseData);
      return reply
        .status(201)
        .send(await service.createUnit(deps, actor, request.body, String(request.id)));
    },
  );

  r.patch(
    "/api/units/:id",
    {
      schema: {
        tags,
        summary: "Change a unit's housing facts",
        params: idParam,
        body: updateUnitBody,
        response: { 200: unitSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, canEditAnyBaseData);
      return service.updateUnit(deps, actor, request.params.id, request.body, String(request.id));
    },
  );
}
