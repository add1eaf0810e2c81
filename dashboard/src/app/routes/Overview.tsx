import { Link } from "react-router";
import { Section } from "../../components/ui/Card";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { HealthPanel } from "../../features/health/HealthPanel";
import { JobsTable } from "../../features/jobs/JobsTable";
import { useJobs } from "../../features/jobs/api";
import { RecentModels } from "../../features/models/RecentModels";
import { RecentSimulations } from "../../features/simulations/RecentSimulations";

export default function Overview() {
  return (
    <>
      <h1>Overview</h1>
      <div className="columns">
        <Section title="Platform health">
          <HealthPanel />
        </Section>
        <Section title="Recent jobs" actions={<Link to="/jobs">All jobs</Link>}>
          <RecentJobs />
        </Section>
      </div>
      <Section title="Recent simulations" actions={<Link to="/simulations">New simulation</Link>}>
        <RecentSimulations limit={8} />
      </Section>
      <Section title="Recent models" actions={<Link to="/models">All models</Link>}>
        <RecentModels limit={6} />
      </Section>
    </>
  );
}

function RecentJobs() {
  const jobs = useJobs(6);
  if (jobs.isPending) return <Loading what="jobs" />;
  if (jobs.isError) return <ErrorNote error={jobs.error} retry={() => void jobs.refetch()} />;
  if (jobs.data.items.length === 0) {
    return (
      <Empty>
        No jobs yet. <Link to="/simulations">Run a simulation</Link> to start one.
      </Empty>
    );
  }
  return <JobsTable jobs={jobs.data.items} cancellable={false} />;
}
