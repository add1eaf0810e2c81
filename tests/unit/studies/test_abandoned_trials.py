"""A worker killed mid-trial leaves its Optuna trial running; when the chunk runs again (the job
redelivered or resumed), that trial is failed and a new one takes its place, while a trial
another worker is still running is left alone."""

from __future__ import annotations

from pathlib import Path

import optuna
from optuna.trial import TrialState

from trainer.studies.storage import optuna_storage
from trainer.studies.trials import CHUNK_ATTR, fail_abandoned


def test_only_the_chunks_own_abandoned_trial_is_failed(tmp_path: Path) -> None:
    storage = optuna_storage(f"sqlite:///{tmp_path / 'platform.db'}")
    study = optuna.create_study(storage=storage, study_name="s", direction="maximize")
    done = study.ask()
    done.set_user_attr(CHUNK_ATTR, 0)
    study.tell(done, 1.0)
    killed = study.ask()  # chunk 1's worker died here
    killed.set_user_attr(CHUNK_ATTR, 1)
    alive = study.ask()  # chunk 2 still training on another worker
    alive.set_user_attr(CHUNK_ATTR, 2)

    assert fail_abandoned(study, 1) == [killed.number]
    states = {t.number: t.state for t in study.get_trials()}
    assert states == {
        done.number: TrialState.COMPLETE,
        killed.number: TrialState.FAIL,
        alive.number: TrialState.RUNNING,
    }
    assert fail_abandoned(study, 1) == []  # running it again changes nothing
    retry = study.ask()  # the chunk's new trial
    retry.set_user_attr(CHUNK_ATTR, 1)
    study.tell(retry, 2.0)
    assert study.best_trial.number == retry.number
