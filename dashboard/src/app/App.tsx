import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Suspense, lazy } from "react";
import { BrowserRouter, Route, Routes } from "react-router";
import { ApiError } from "../api/errors";
import { Shell } from "../components/layout/Shell";
import { Loading } from "../components/ui/States";
import { SignInForm } from "../features/auth/SignInForm";
import { useSignInNeeded } from "../features/auth/session";
import Overview from "./routes/Overview";
import { Placeholder } from "./routes/Placeholder";

// Pages beyond the first load on demand: the chart libraries ride with the pages that draw.
const Simulations = lazy(() => import("./routes/Simulations"));
const SimulationResult = lazy(() => import("./routes/SimulationResult"));
const SimulationCompare = lazy(() => import("./routes/SimulationCompare"));
const Jobs = lazy(() => import("./routes/Jobs"));
const Train = lazy(() => import("./routes/Train"));
const TrainingResult = lazy(() => import("./routes/TrainingResult"));
const Studies = lazy(() => import("./routes/Studies"));
const StudyResult = lazy(() => import("./routes/StudyResult"));
const Sweeps = lazy(() => import("./routes/Sweeps"));
const SweepResult = lazy(() => import("./routes/SweepResult"));
const Models = lazy(() => import("./routes/Models"));
const ModelDetail = lazy(() => import("./routes/ModelDetail"));
const ModelCompare = lazy(() => import("./routes/ModelCompare"));
const Data = lazy(() => import("./routes/Data"));

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; a network blip or 503 may.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

const client = makeQueryClient();

export function App() {
  return (
    <QueryClientProvider client={client}>
      <BrowserRouter>
        <Gate />
      </BrowserRouter>
    </QueryClientProvider>
  );
}

function Gate() {
  if (useSignInNeeded()) return <SignInForm />;
  return (
    <Shell>
      <Suspense fallback={<Loading what="the page" />}>
        <Routes>
          <Route path="/" element={<Overview />} />
          <Route path="/simulations" element={<Simulations />} />
          <Route path="/simulations/compare" element={<SimulationCompare />} />
          <Route path="/simulations/:id" element={<SimulationResult />} />
          <Route path="/jobs" element={<Jobs />} />
          <Route path="/data" element={<Data />} />
          <Route path="/sweeps" element={<Sweeps />} />
          <Route path="/sweeps/:id" element={<SweepResult />} />
          <Route path="/models" element={<Models />} />
          <Route path="/models/compare" element={<ModelCompare />} />
          <Route path="/models/:id" element={<ModelDetail />} />
          <Route path="/train" element={<Train />} />
          <Route path="/train/studies" element={<Studies />} />
          <Route path="/train/studies/:id" element={<StudyResult />} />
          <Route path="/train/:id" element={<TrainingResult />} />
          <Route path="*" element={<Placeholder title="Page not found" api="/api/v1" />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}
