"""The trainer contract: steps, generator semantics, resume, divergence, seeds, limits."""

import math

import pytest
import torch

from dlcore import data, models, train
from dlcore.experiments import curve_fit


def small_trainer(seed: int = 0, **kw) -> train.Trainer:
    net = models.init_weights(models.mlp([2, 8, 2], "tanh"), seed)
    kw = {"batch_size": 16, "steps": 200, "eval_every": 5, **kw}
    return train.Trainer(net, data.spiral(n=120, seed=seed), seed=seed, **kw)


def without_time(history):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in history]


def test_steps_increase_and_records_are_floats():
    trainer = small_trainer()
    records = list(trainer.run(steps=20, log_every=5))
    assert [r["step"] for r in records] == [5, 10, 15, 20]
    assert all(isinstance(v, float) for r in records for v in r.values())
    assert "test_acc" in records[-1] and "train_loss" in records[-1]
    assert trainer.steps == 20 and len(trainer.history) == 20


def test_break_stops_cleanly_and_training_can_continue():
    trainer = small_trainer()
    for record in trainer.run():
        if record["step"] == 7:
            break
    assert trainer.steps == 7 and not trainer.done
    trainer.step()
    assert trainer.steps == 8


def test_resume_continues_the_same_curve():
    straight = small_trainer()
    list(straight.run(steps=60))
    first = small_trainer()
    list(first.run(steps=30))
    saved = first.state_dict()
    resumed = small_trainer(seed=0)
    resumed.load_state_dict(saved)
    list(resumed.run(steps=30))
    assert without_time(resumed.history) == without_time(straight.history)


def test_same_seed_same_history_and_other_seed_differs():
    a, b, c = small_trainer(0), small_trainer(0), small_trainer(1)
    for trainer in (a, b, c):
        list(trainer.run(steps=40))
    assert without_time(a.history) == without_time(b.history)
    assert without_time(a.history) != without_time(c.history)


def test_non_finite_loss_stops_with_a_readable_reason():
    trainer = curve_fit.build(curve_fit.CurveFitConfig(lr=1e6, optimizer="sgd", steps=500))
    list(trainer.run())
    assert trainer.done and trainer.stop.kind == "diverged"
    assert trainer.steps < 500
    assert "learning rate" in trainer.stop.message and str(trainer.stop.step) in trainer.stop.message
    assert not math.isfinite(trainer.history[-1]["loss"])
    with pytest.raises(RuntimeError):
        trainer.step()


def test_finishes_at_the_planned_step_count():
    trainer = small_trainer(steps=12)
    list(trainer.run())
    assert trainer.done and trainer.stop.kind == "finished" and trainer.progress == 1.0


def test_run_for_is_time_boxed():
    trainer = small_trainer(steps=100_000)
    records = trainer.run_for(0.2)
    assert records and records[-1]["step"] == trainer.steps
    assert 0 < trainer.seconds < 2.0


@pytest.mark.parametrize("kwargs, key", [({"steps": 10**7}, "steps"), ({"batch_size": 10**6}, "batch_size")])
def test_limits_are_enforced_in_the_library(kwargs, key):
    with pytest.raises(train.LimitError) as err:
        small_trainer(**kwargs)
    assert err.value.key == key


def test_parameter_limit():
    net = models.mlp([2, 2000, 2000, 2])
    with pytest.raises(train.LimitError):
        train.Trainer(net, data.spiral(n=40), limits=train.Limits(max_params=1000))


def test_time_limit_stops_training():
    trainer = small_trainer(steps=100_000, limits=train.Limits(max_seconds=0.05))
    list(trainer.run(seconds=5))
    assert trainer.stop.kind == "time_limit"


def test_bad_learning_rate_and_optimizer_are_refused():
    with pytest.raises(ValueError):
        small_trainer(lr=0.0)
    with pytest.raises(ValueError):
        small_trainer(optimizer="rmsprop")


def test_device_is_chosen_automatically():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert train.pick_device().type == expected
    assert small_trainer().device.type == expected


def test_curve_fit_learns():
    trainer = curve_fit.build(curve_fit.CurveFitConfig(steps=600))
    list(trainer.run())
    assert trainer.latest("train_loss") < 0.1 < trainer.history[0]["loss"]


def test_dropout_is_reproducible_and_state_dict_is_a_snapshot():
    def make():
        net = models.init_weights(models.mlp([2, 32, 2], "relu", dropout=0.5), 0)
        return train.Trainer(net, data.spiral(n=120), batch_size=16, steps=100, seed=0)

    a, b = make(), make()
    list(a.run(steps=30))
    list(b.run(steps=30))
    assert without_time(a.history) == without_time(b.history)
    saved = a.state_dict()
    weight = saved["model"]["0.weight"].clone()
    list(a.run(steps=5))
    assert torch.equal(saved["model"]["0.weight"], weight)  # later training does not change a saved state


def test_a_classifier_whose_loss_explodes_without_nan_counts_as_diverged():
    net = models.init_weights(models.mlp([2, 8, 2], "tanh"), 0)
    trainer = train.Trainer(net, data.xor(n=200), lr=10.0, optimizer="sgd", batch_size=100, steps=2000)
    list(trainer.run())
    assert trainer.stop.kind == "diverged" and trainer.stop.step < 2000
    assert all(math.isfinite(r["loss"]) for r in trainer.history)  # no NaN: the loss just stayed huge
