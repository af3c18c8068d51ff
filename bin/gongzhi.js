#!/usr/bin/env node
// The gongzhi CLI. TypeScript sources run through tsx's loader, so the
// product needs no separate server build step.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
