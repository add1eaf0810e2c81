import { describe, expect, it } from "vitest";
import { engineLine } from "./engine";

describe("engineLine", () => {
  it("names the fused kernel", () => {
    expect(engineLine({ engine: "fused", engine_reason: null, n_general: 0 })).toBe("Fused kernel");
  });

  it("gives the general engine's reason, or none when the API gave none", () => {
    expect(engineLine({ engine: "general", engine_reason: "a model decides", n_general: 12 })).toBe(
      "General engine: a model decides",
    );
    expect(engineLine({ engine: "general", engine_reason: null, n_general: 12 })).toBe(
      "General engine",
    );
  });

  it("counts the combinations a mixed sweep sent through simulate()", () => {
    expect(engineLine({ engine: "mixed", engine_reason: "stop loss set", n_general: 1200 })).toBe(
      "Mixed: 1,200 combinations through simulate(): stop loss set",
    );
    expect(engineLine({ engine: "mixed", engine_reason: "stop loss set", n_general: 1 })).toBe(
      "Mixed: 1 combination through simulate(): stop loss set",
    );
    expect(engineLine({ engine: "mixed", engine_reason: null, n_general: null })).toBe(
      "Mixed: some combinations through simulate()",
    );
  });

  it("says nothing for a report from before the engines were named", () => {
    expect(engineLine({ engine: null, engine_reason: null, n_general: null })).toBeNull();
    expect(engineLine({})).toBeNull();
  });
});
