import { Section } from "../../components/ui/Card";

/** A page the dashboard does not have yet: the API already does it. */
export function Placeholder({ title, api }: { title: string; api: string }) {
  return (
    <>
      <h1>{title}</h1>
      <Section title="Coming to the dashboard">
        <p>
          This page is not built yet. Everything it will show is available now through the API:{" "}
          <code>{api}</code> — see the <a href="/docs">API documentation</a>.
        </p>
      </Section>
    </>
  );
}
