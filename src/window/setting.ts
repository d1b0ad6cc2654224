/**
 * Schema of the `fraud-platform:window` setting (src/window/surfaces.ts says what each value keeps up). Kept free
 * of other imports: the environment schema (src/config/settings.ts) reads it.
 */
import { z } from "zod";

export const PHASE_ID = /^P(\(-1\)|[0-9]|1[0-7])$/;

/** `all` (every surface), `closed` (persistent surfaces only) or a phase id (`P5`: that phase's surfaces). */
export const windowSettingSchema = z
  .string({ error: "all, closed or a phase id such as P5" })
  .refine((v) => v === "all" || v === "closed" || PHASE_ID.test(v), {
    error: "all, closed or a phase id such as P5 (P(-1), P0 .. P17)",
  });
export type WindowSetting = z.infer<typeof windowSettingSchema>;
