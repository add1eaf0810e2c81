"""The arrays behind the environments and the calls into the batched kernels.

TradingEnv is one copy of it, TradingVecEnv many; both step through the same kernel, so a copy
in a batch and a lone environment follow the same code to the last bit.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import numpy.typing as npt
from gymnasium import spaces

from shared.errors import ValidationError
from shared.rl import batch as bt
from shared.rl.config import EnvConfig, env_rules
from shared.rl.market import Market
from shared.rl.scaling import FeatureScaler
from shared.sim.kernel_args import kernel_args
from shared.sim.kernels import _members_nb
from shared.sim.records import order_dt, trade_dt

I64 = npt.NDArray[np.int64]


class EnvCore:
    """State of `n_envs` copies over one market; rows are copies."""

    def __init__(
        self, market: Market, scaler: FeatureScaler, config: EnvConfig, n_envs: int
    ) -> None:
        if not isinstance(market, Market):
            raise ValidationError(
                f"market must be a shared.rl.Market (build_market), got {type(market).__name__}",
                field="market",
            )
        if not isinstance(scaler, FeatureScaler):
            raise ValidationError("scaler must be a shared.rl.FeatureScaler", field="scaler")
        if not isinstance(config, EnvConfig):
            raise ValidationError("config must be a shared.rl.EnvConfig", field="config")
        if isinstance(n_envs, bool) or not isinstance(n_envs, int) or n_envs < 1:
            raise ValidationError(
                f"n_envs must be a whole number >= 1, got {n_envs!r}", field="n_envs"
            )
        if config.episode_bars > len(market):
            raise ValidationError(
                f"episode_bars={config.episode_bars} is longer than the market's {len(market)} "
                "usable bars; shorten the episodes or widen the window",
                field="episode_bars",
            )
        if config.spec.needs_volume and not market.has_volume:
            raise ValidationError(
                "volume_cap and slippage.impact need bar volume, and these bars have none",
                field="spec",
            )
        self.market, self.config, self.n_envs = market, config, n_envs
        n, k = len(market.symbols), len(market.columns)
        n_acc = n if config.spec.cash == "per_asset" else 1
        self.n_symbols = n
        self.length = config.episode_bars
        self.max_start = len(market) - self.length
        self.prices = np.ascontiguousarray(market.prices, dtype=np.float64)
        self.feats = scaler.transform(market)
        cost, rules = kernel_args(config.spec)
        self.params = bt.pack_params(cost, rules, env_rules(config, n))
        col_acc = np.arange(n) if n_acc == n else np.zeros(n, dtype=np.int64)
        ptr, members = _members_nb(col_acc.astype(np.int64), n_acc)
        self.accmap = np.zeros((3, n + 1), dtype=np.int64)
        self.accmap[0, :n], self.accmap[1, : n_acc + 1], self.accmap[2, :n] = col_acc, ptr, members
        self.acc_cash = np.full(n_acc, config.spec.initial_cash / n_acc)
        n_f, n_i = bt.state_widths(n, n_acc)
        self.fs = np.zeros((n_envs, n_f))
        self.ist = np.zeros((n_envs, n_i), dtype=np.int64)
        cap = bt.record_capacity(n)
        self.orders = np.zeros((n_envs, cap), dtype=order_dt)
        self.trades = np.zeros((n_envs, cap), dtype=trade_dt)
        self.targets = np.full((n_envs, self.length, n), np.nan)
        self.obs_dim = n * k + 2 * n + 1
        self.obs = np.zeros((n_envs, self.obs_dim), dtype=np.float32)
        self.out = np.zeros((n_envs, bt.N_OUT))
        self.status = np.zeros(n_envs, dtype=np.int8)
        self.rewards = np.zeros(n_envs, dtype=np.float32)
        self.dones = np.zeros(n_envs, dtype=np.bool_)
        self.action_space = config.action_space(n)
        self.observation_space = spaces.Box(-np.inf, np.inf, (self.obs_dim,), np.float32)
        self._discrete = config.action == "discrete"
        self._fb, self._ib = n_f - bt.N_F_SCALARS, n_i - bt.N_I_SCALARS
        # step()'s hot path: the kernel's arguments around the actions, gathered once
        self._act_dtype = np.dtype(np.int64 if self._discrete else np.float32)
        self._act_shape = (n_envs, n)
        self._before = (self.prices, self.feats, self.fs, self.ist, self.orders, self.trades,
                        self.targets)  # fmt: skip
        self._after = (self.accmap, self.params, self.obs, self.out, self.status, self.rewards,
                       self.dones)  # fmt: skip
        self._kernel: Any = None

    def reset(self, which: I64, starts: I64) -> None:
        """Start copies `which` on windows beginning at bars `starts` (offsets in the market)."""
        bt.reset_nb(
            self.prices, self.feats, self.fs, self.ist, self.orders, self.trades, self.targets,
            self.accmap, self.acc_cash, self.params, which, starts, self.length, self.obs,
            self.out, self.status,
        )  # fmt: skip

    def step(self, actions: Any) -> int:
        """Step every copy; returns how many finished (self.status says how, self.dones which).

        Rewards land in self.rewards, observations in self.obs (overwritten by the next call).
        """
        arr = actions
        if (
            arr.__class__ is np.ndarray
            and arr.dtype is self._act_dtype
            and arr.size == self._act_shape[0] * self._act_shape[1]
            and arr.flags.c_contiguous
        ):  # what SB3 passes: already the kernel's type, so only a view of its shape
            arr = arr.reshape(self._act_shape)
            kernel = self._kernel or self._compiled(arr)
        else:
            arr, kernel = self._actions(actions), bt.step_nb
        n_done: int = kernel(*self._before, arr, *self._after)
        if n_done < 0:
            self._refuse(actions)
        return n_done

    def _compiled(self, arr: npt.NDArray[Any]) -> Any:
        """step_nb's machine code for exactly these argument types, called without numba's
        dispatcher: typing the arguments (two record arrays among them) on every call costs
        about 1 us, a tenth of a step of 8 copies. Only arrays made here or checked in step()
        (C-contiguous, the action dtype, 2-D) ever reach it; any doubt keeps the dispatcher."""
        canonical = np.zeros_like(arr)  # writable and C-contiguous, like every array that comes
        sig = tuple(numba.typeof(a) for a in (*self._before, canonical, *self._after))
        bt.step_nb.compile(sig)  # from numba's cache when it is there
        overload = bt.step_nb.overloads.get(sig)
        entry = getattr(overload, "entry_point", None)
        self._kernel = entry if callable(entry) else bt.step_nb
        return self._kernel

    def _refuse(self, actions: Any) -> None:
        bad = int(np.flatnonzero(self.status < 0)[0])
        if self.status[bad] == bt.OVER:
            raise ValidationError(
                f"copy {bad}'s episode is over; reset it before stepping again", field="reset"
            )
        raise ValidationError(
            f"action {np.asarray(actions).reshape(self.n_envs, -1)[bad].tolist()} of copy {bad} "
            f"is outside the action space {self.action_space}",
            field="action",
        )

    def start_of(self, i: int) -> int:
        return int(self.ist[i, self._ib + bt.I_START])

    def episode(self, i: int) -> tuple[float, int]:
        """Copy i's summed reward and number of steps so far in its episode."""
        return float(self.fs[i, self._fb + bt.F_RETURN]), int(self.ist[i, self._ib + bt.I_STEPS])

    def check_start(self, start: object) -> int:
        """A window start from reset options, checked."""
        if isinstance(start, bool) or not isinstance(start, int | np.integer):
            raise ValidationError(f"start must be a bar offset, got {start!r}", field="start")
        if not 0 <= int(start) <= self.max_start:
            raise ValidationError(
                f"start={start} is outside 0..{self.max_start} (market bars - episode_bars)",
                field="start",
            )
        return int(start)

    def _actions(self, actions: Any) -> npt.NDArray[Any]:
        dtype = np.int64 if self._discrete else np.float32
        try:
            arr = np.asarray(actions)
            fractional = arr.dtype.kind != "f" or not np.array_equal(arr, np.round(arr))
            if self._discrete and arr.dtype.kind not in "iu" and fractional:
                raise ValueError("discrete actions must be whole numbers")
            out = np.ascontiguousarray(arr.astype(dtype, copy=False).reshape(self.n_envs, -1))
            if out.shape[1] != self.n_symbols:
                raise ValueError(f"got {out.shape[1]} per copy for {self.n_symbols} symbol(s)")
            return out
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                f"actions do not fit {self.n_envs} copies of {self.action_space}: {exc}",
                field="action",
            ) from exc
