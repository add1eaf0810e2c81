// The model registry.
import { Link } from "react-router";
import { Section } from "../../components/ui/Card";
import { ModelsTable } from "../../features/models/ModelsTable";
import { loadModels } from "../../features/models/api";
import "../../features/models/models.css";

export default function Models() {
  return (
    <>
      <h1>Models</h1>
      <Section title="Registry" actions={<Link to="/train">Train a model</Link>}>
        <ModelsTable load={loadModels} />
      </Section>
    </>
  );
}
