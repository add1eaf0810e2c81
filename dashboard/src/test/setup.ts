import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// Charts load on demand (a lazy import): on a busy 2-core machine the first import of Recharts
// can take longer than Testing Library's default 1 s wait for findBy*/waitFor.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => cleanup());
