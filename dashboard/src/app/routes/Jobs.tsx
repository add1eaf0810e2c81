import { useState } from "react";
import { Link } from "react-router";
import { Section } from "../../components/ui/Card";
import { Pager } from "../../components/ui/Pager";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { JobsTable } from "../../features/jobs/JobsTable";
import { useJobs } from "../../features/jobs/api";

const PAGE = 25;

export default function Jobs() {
  const [offset, setOffset] = useState(0);
  const jobs = useJobs(PAGE, offset);
  return (
    <>
      <h1>Jobs</h1>
      <Section title="Every job, newest first">
        {jobs.isPending ? (
          <Loading what="jobs" />
        ) : jobs.isError ? (
          <ErrorNote error={jobs.error} retry={() => void jobs.refetch()} />
        ) : jobs.data.total === 0 ? (
          <Empty>
            No jobs yet. <Link to="/simulations">Run a simulation</Link> to start one.
          </Empty>
        ) : (
          <>
            <JobsTable jobs={jobs.data.items} cancellable />
            <Pager
              label="Jobs pages"
              offset={offset}
              shown={jobs.data.items.length}
              total={jobs.data.total}
              pageSize={PAGE}
              onOffset={setOffset}
            />
          </>
        )}
      </Section>
    </>
  );
}
