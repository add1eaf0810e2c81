// A small catalogue shaped like GET /api/v1/algorithms, for the tests.
import type { AlgorithmsCatalogue } from "../../api/types";

export const CATALOGUE: AlgorithmsCatalogue = {
  total: 2,
  items: [
    {
      name: "logistic_regression",
      framework: "scikit-learn",
      tasks: ["classification"],
      description: "Linear model of P(up).",
      supports_cuda: false,
      params: [
        {
          name: "C",
          type: "float",
          default: 1.0,
          min: 0.0001,
          max: 10000,
          log: true,
          description: "inverse L2 strength",
        },
        {
          name: "max_iter",
          type: "int",
          default: 200,
          min: 10,
          max: 10000,
          log: false,
          description: "solver iterations at most",
        },
        {
          name: "class_weight",
          type: "choice",
          default: "none",
          choices: ["none", "balanced"],
          log: false,
          description: "",
        },
      ],
    },
    {
      name: "random_forest",
      framework: "scikit-learn",
      tasks: ["classification", "regression"],
      description: "Averaged decision trees.",
      supports_cuda: true,
      params: [
        {
          name: "n_estimators",
          type: "int",
          default: 200,
          min: 1,
          max: 2000,
          log: false,
          description: "number of trees",
        },
        {
          name: "max_features",
          type: "float",
          default: 0.5,
          min: 0.05,
          max: 1,
          log: false,
          description: "fraction of features",
        },
        {
          name: "bootstrap",
          type: "bool",
          default: true,
          log: false,
          description: "fit each tree on a bootstrap sample",
        },
      ],
    },
  ],
  feature_kinds: [
    {
      kind: "returns",
      description: "close / close earlier - 1",
      fields: ["close"],
      params: [
        { name: "period", type: "int", default: 1, min: 1, max: 1000, log: false, description: "" },
      ],
    },
    {
      kind: "lagged_return",
      description: "the 1-bar return lag bars earlier",
      fields: ["close"],
      params: [
        { name: "lag", type: "int", default: 1, min: 1, max: 1000, log: false, description: "" },
      ],
    },
    {
      kind: "rsi",
      description: "Wilder's RSI / 100",
      fields: ["close"],
      params: [
        {
          name: "period",
          type: "int",
          default: 14,
          min: 2,
          max: 1000,
          log: false,
          description: "",
        },
      ],
    },
    { kind: "month", description: "month of the bar", fields: [], params: [] },
  ],
  default_features: [
    { kind: "returns", params: { period: 1 } },
    { kind: "lagged_return", params: { lag: 1 } },
    { kind: "lagged_return", params: { lag: 2 } },
  ],
};

/** An RL agent as the catalogue lists it: only the run's two declared hyperparameters. */
function agent(name: string, description: string): AlgorithmsCatalogue["items"][number] {
  return {
    name,
    framework: "stable-baselines3",
    tasks: ["reinforcement"],
    description,
    supports_cuda: true,
    params: [
      {
        name: "total_timesteps",
        type: "int",
        default: 20000,
        min: 1000,
        max: 10000000,
        log: true,
        description: "environment steps to train for",
      },
      {
        name: "n_envs",
        type: "int",
        default: 8,
        min: 1,
        max: 64,
        log: false,
        description: "environment copies stepped together",
      },
    ],
  };
}

/** The catalogue with the agents after the supervised algorithms, as the API orders them. */
export const RL_CATALOGUE: AlgorithmsCatalogue = {
  ...CATALOGUE,
  total: CATALOGUE.items.length + 3,
  items: [
    ...CATALOGUE.items,
    agent("ppo", "Proximal policy optimisation."),
    agent("dqn", "Deep Q-network."),
    agent("sac", "Soft actor-critic."),
  ],
};
