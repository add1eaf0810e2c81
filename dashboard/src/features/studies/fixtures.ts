// Wire-shaped fixtures for the studies' tests: a catalogue with the RL agents as GET /algorithms
// lists them (a supervised one in front, which a study must not offer).
import type { Algorithm, AlgorithmsCatalogue, HyperParam } from "../../api/types";

const LEARNING_RATE: HyperParam = {
  name: "learning_rate",
  type: "float",
  default: 0.0003,
  min: 0.00001,
  max: 0.01,
  log: true,
  description: "step size",
};
const GAMMA: HyperParam = {
  name: "gamma",
  type: "float",
  default: 0.99,
  min: 0.9,
  max: 0.9999,
  log: false,
  description: "discount",
};
const N_STEPS: HyperParam = {
  name: "n_steps",
  type: "int",
  default: 64,
  min: 8,
  max: 2048,
  log: true,
  description: "rollout length",
};
const TIMESTEPS: HyperParam = {
  name: "total_timesteps",
  type: "int",
  default: 20000,
  min: 1000,
  max: 10000000,
  log: true,
  description: "environment steps",
};

function agent(name: string, params: HyperParam[]): Algorithm {
  return {
    name,
    framework: "stable-baselines3",
    tasks: ["reinforcement"],
    description: `${name} agent`,
    supports_cuda: true,
    params,
  };
}

export const STUDY_CATALOGUE: AlgorithmsCatalogue = {
  total: 5,
  items: [
    {
      name: "random_forest",
      framework: "sklearn",
      tasks: ["classification"],
      description: "forest",
      supports_cuda: false,
      params: [],
    },
    agent("ppo", [LEARNING_RATE, GAMMA, N_STEPS, TIMESTEPS]),
    agent("a2c", [LEARNING_RATE, GAMMA, TIMESTEPS]),
    agent("dqn", [LEARNING_RATE, GAMMA, TIMESTEPS]),
    agent("sac", [LEARNING_RATE, GAMMA, TIMESTEPS]),
  ],
  feature_kinds: [],
  default_features: [],
};
