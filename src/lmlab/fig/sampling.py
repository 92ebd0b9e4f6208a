"""Figures of chapter 1, "One token at a time": next-token distributions, temperature,
entropy, repetition, top-k mass and sampled text.

Every function takes numbers already computed (with :mod:`lmlab.sampling` and a model)
and returns a :class:`plotly.graph_objects.Figure`; none of them runs a model. Figures with
a slider or buttons switch between precomputed steps, so they stay interactive in the
static HTML of the book.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from . import COLORWAY, add_step_slider
from .tokens import show_token

__all__ = [
    "next_token_figure",
    "temperature_figure",
    "entropy_temperature_figure",
    "repetition_temperature_figure",
    "top_k_mass_figure",
    "text_steps_figure",
]

_REST_COLOR = "#BBBBBB"


def _check_probs(probs: object, name: str = "probs") -> np.ndarray:
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {p.shape}")
    if np.isnan(p).any() or (p < 0).any() or (p > 1 + 1e-9).any():
        raise ValueError(f"{name} must be probabilities in [0, 1]")
    return p


def _bar_traces(labels: Sequence[str], probs: np.ndarray, rest: float | None,
                rest_label: str, context: str) -> list[go.Bar]:
    shown = [show_token(w) for w in labels]
    ctx = show_token(context)
    traces = [go.Bar(
        x=shown, y=probs, name="next word", marker_color=COLORWAY[0],
        customdata=np.arange(1, len(shown) + 1),
        hovertemplate=f"after “{ctx}”<br>rank %{{customdata}}: “%{{x}}”<br>"
                      "p = %{y:.4f}<extra></extra>",
    )]
    if rest is not None:
        traces.append(go.Bar(
            x=[rest_label], y=[float(rest)], name="all other words", marker_color=_REST_COLOR,
            hovertemplate=f"after “{ctx}”<br>%{{x}}, together<br>p = %{{y:.4f}}<extra></extra>",
        ))
    return traces


def next_token_figure(labels: Sequence[str], probs: object, rest: float | None = None,
                    context: str = "", title: str | None = None,
                    rest_label: str = "all others") -> go.Figure:
    """Bar chart of the most likely next tokens.

    ``labels[i]`` is a token and ``probs[i]`` its probability (most likely first);
    ``rest`` (optional) is the total probability of every other token, drawn as one grey bar.
    """
    p = _check_probs(probs)
    if len(labels) != len(p):
        raise ValueError(f"{len(labels)} labels but {len(p)} probabilities")
    fig = go.Figure(_bar_traces(list(labels), p, rest, rest_label, context))
    fig.update_layout(
        title=title or f"What comes after “{show_token(context)}”?",
        xaxis_title="next word (most likely first)", yaxis_title="probability",
        showlegend=rest is not None, bargap=0.25,
        legend=dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom"),
    )
    fig.update_xaxes(tickangle=-45 if len(p) > 12 else 0)
    return fig


def temperature_figure(labels: Sequence[str], probs_by_t: object, temperatures: Sequence[float],
                     rest_by_t: object | None = None, entropies: Sequence[float] | None = None,
                     context: str = "", active: int | None = None,
                     rest_label: str = "all others") -> go.Figure:
    """The next-token distribution at several temperatures, with a slider over ``T``.

    ``probs_by_t[j, i]`` is the probability of ``labels[i]`` at ``temperatures[j]``;
    ``rest_by_t[j]`` (optional) the total of every other token; ``entropies[j]``
    (optional, nats) is written in the title of each step. ``active`` is the step shown
    first (default: the temperature closest to 1).
    """
    P = np.asarray(probs_by_t, dtype=np.float64)
    temps = [float(t) for t in temperatures]
    if P.ndim != 2 or P.shape != (len(temps), len(labels)):
        raise ValueError(f"probs_by_t must have shape ({len(temps)}, {len(labels)}), got {P.shape}")
    rest = None if rest_by_t is None else np.asarray(rest_by_t, dtype=np.float64)
    if rest is not None and rest.shape != (len(temps),):
        raise ValueError(f"rest_by_t must have {len(temps)} entries, got shape {rest.shape}")
    if entropies is not None and len(entropies) != len(temps):
        raise ValueError(f"{len(entropies)} entropies for {len(temps)} temperatures")
    if active is None:
        active = int(np.argmin(np.abs(np.log(temps))))
    fig = next_token_figure(labels, P[active], None if rest is None else rest[active],
                          context=context, rest_label=rest_label)
    # room below the (slanted) word labels and the axis title for the slider
    fig.update_layout(yaxis_range=[0, 1.02], height=560, margin=dict(b=210))
    fig.update_xaxes(tickangle=-45)

    def title(j: int) -> str:
        head = f"After “{show_token(context)}”, at T = {temps[j]:.3g}"
        return head if entropies is None else f"{head}: entropy {entropies[j]:.2f} nats"

    steps = []
    for j in range(len(temps)):
        ys = [P[j]] + ([] if rest is None else [[float(rest[j])]])
        steps.append(({"y": ys}, {"title.text": title(j)}))
    add_step_slider(fig, steps, labels=[f"{t:.3g}" for t in temps], prefix="temperature T = ",
                    active=active, pad=dict(t=125, b=8))
    return fig


def entropy_temperature_figure(temperatures: Sequence[float], entropies: Mapping[str, object],
                           limit: float | None = None, mark: float | None = 0.8,
                           mark_label: str = "T = 0.8") -> go.Figure:
    """Entropy (nats) of the next-token distribution against temperature (log axis), one
    curve per context; ``limit`` (e.g. ln V) drawn as a dashed line, ``mark`` as a
    dotted vertical line."""
    t = np.asarray(temperatures, dtype=np.float64)
    if t.ndim != 1 or (t <= 0).any():
        raise ValueError("temperatures must be a 1-D array of positive numbers")
    fig = go.Figure()
    for name, h in entropies.items():
        h = np.asarray(h, dtype=np.float64)
        if h.shape != t.shape:
            raise ValueError(f"entropies[{name!r}] has shape {h.shape}, temperatures {t.shape}")
        fig.add_trace(go.Scatter(
            x=t, y=h, mode="lines", name=f"“{show_token(name)}”",
            hovertemplate=f"after “{show_token(name)}”<br>T = %{{x:.3g}}<br>"
                          "entropy = %{y:.3f} nats<extra></extra>"))
    if limit is not None:
        fig.add_trace(go.Scatter(
            x=[t.min(), t.max()], y=[limit, limit], mode="lines", name="ln V (uniform)",
            line=dict(dash="dash", color="#555555"),
            hovertemplate="T → ∞ limit: ln V = %{y:.3f} nats<extra></extra>"))
    if mark is not None:
        fig.add_vline(x=mark, line=dict(dash="dot", color="#555555"))
        fig.add_annotation(x=np.log10(mark), y=1, yref="paper", text=mark_label, showarrow=False,
                           xanchor="left", yanchor="top", xshift=4)
    fig.update_layout(title="Entropy of the next-word distribution against temperature",
                      xaxis_title="temperature T (log scale)",
                      yaxis_title="entropy H (nats)", xaxis_type="log",
                      legend=dict(x=0.99, xanchor="right", y=0.04, yanchor="bottom"))
    if limit is not None:       # head room above the limit for the T label
        fig.update_yaxes(range=[-0.03 * limit, 1.12 * limit])
    return fig


def repetition_temperature_figure(temperatures: Sequence[float], shares: object,
                              greedy_share: float | None = None,
                              n: int = 4) -> go.Figure:
    """Share of repeated ``n``-grams in generated text against temperature (log axis);
    ``shares`` may be 1-D (one value per temperature) or 2-D (runs x temperatures: mean
    and each run are drawn); greedy decoding, the ``T -> 0`` limit, as a dashed line."""
    t = np.asarray(temperatures, dtype=np.float64)
    s = np.asarray(shares, dtype=np.float64)
    if s.ndim == 1:
        s = s[None, :]
    if s.ndim != 2 or s.shape[1] != len(t):
        raise ValueError(f"shares must have {len(t)} columns (one per temperature), got shape {s.shape}")
    fig = go.Figure()
    if len(s) > 1:
        xs = np.tile(t, len(s))
        fig.add_trace(go.Scatter(
            x=xs, y=s.ravel(), mode="markers", name="one text",
            marker=dict(color=COLORWAY[0], opacity=0.35, size=7),
            hovertemplate=f"one generated text<br>T = %{{x:.3g}}<br>repeated {n}-grams: "
                          "%{y:.1%}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=t, y=s.mean(axis=0), mode="lines+markers", name="mean",
        line=dict(color=COLORWAY[0], width=3),
        hovertemplate=f"mean over texts<br>T = %{{x:.3g}}<br>repeated {n}-grams: "
                      "%{y:.1%}<extra></extra>"))
    if greedy_share is not None:
        fig.add_trace(go.Scatter(
            x=[t.min(), t.max()], y=[greedy_share] * 2, mode="lines",
            name="greedy (T → 0)", line=dict(color=COLORWAY[1], dash="dash"),
            hovertemplate=f"greedy decoding<br>repeated {n}-grams: %{{y:.1%}}<extra></extra>"))
    fig.update_layout(title=f"Repetition in generated text: share of repeated {n}-word sequences",
                      xaxis_title="temperature T (log scale)",
                      yaxis_title=f"repeated {n}-grams (share)", xaxis_type="log",
                      yaxis=dict(tickformat=".0%", range=[-0.03, 1.03]))
    fig.update_xaxes(tickvals=t, ticktext=[f"{x:g}" for x in t])
    return fig


def top_k_mass_figure(cum_mass: Mapping[str, object], mark: int | None = 200,
               mark_label: str = "k = 200") -> go.Figure:
    """Probability held by the ``k`` most likely tokens, against ``k`` (log axis), one curve
    per context: ``cum_mass[name][k - 1]`` is the mass of the top ``k``."""
    fig = go.Figure()
    v = None
    for name, c in cum_mass.items():
        c = np.asarray(c, dtype=np.float64)
        if c.ndim != 1:
            raise ValueError(f"cum_mass[{name!r}] must be 1-D")
        v = len(c)
        k = np.unique(np.geomspace(1, len(c), 300).round().astype(np.int64))
        fig.add_trace(go.Scatter(
            x=k, y=c[k - 1], mode="lines", name=f"“{show_token(name)}”",
            hovertemplate=f"after “{show_token(name)}”<br>top %{{x}} words hold "
                          "%{y:.1%} of the probability<extra></extra>"))
    if mark is not None:
        fig.add_vline(x=mark, line=dict(dash="dot", color="#555555"))
        fig.add_annotation(x=np.log10(mark), y=0, yref="paper", text=mark_label, showarrow=False,
                           xanchor="left", yanchor="bottom", xshift=4)
    fig.update_layout(title="How much probability the k most likely words hold",
                      xaxis_title=f"k, words kept (log scale; all {v:,} at the right end)"
                      if v else "k, words kept (log scale)",
                      yaxis_title="probability of the top k (share)", xaxis_type="log",
                      yaxis=dict(tickformat=".0%", range=[0, 1.02]),
                      legend=dict(x=0.99, xanchor="right", y=0.04, yanchor="bottom"))
    return fig


def text_steps_figure(step_labels: Sequence[str], rows: Sequence[Sequence[str]],
               row_labels: Sequence[str], title: str = "Generated text",
               header: Sequence[str] = ("", "generated text"), prefix: str = "",
               active: int = 0, height: int | None = None) -> go.Figure:
    """Tables of text, one per step, switched by a slider (each step shows one table).

    ``rows[j][i]`` is the text in row ``i`` of step ``j`` (labelled ``row_labels[i]``).
    """
    if len(rows) != len(step_labels):
        raise ValueError(f"{len(rows)} steps of rows but {len(step_labels)} labels")
    fig = go.Figure()
    for j, texts in enumerate(rows):
        if len(texts) != len(row_labels):
            raise ValueError(f"step {j}: {len(texts)} texts for {len(row_labels)} row labels")
        fig.add_trace(go.Table(
            columnwidth=[1, 6],
            header=dict(values=[f"<b>{h}</b>" for h in header], align="left",
                        fill_color="#EEEEEE"),
            cells=dict(values=[[show_token(r) for r in row_labels],
                               [show_token(t) for t in texts]],
                       align="left", height=30, fill_color="white"),
            visible=(j == active), name=str(step_labels[j])))
    n = len(rows)
    # one value per trace in each step: which table is visible
    steps = [({"visible": [i == j for i in range(n)]}, {"title.text": f"{title}: {prefix}{lab}"})
             for j, lab in enumerate(step_labels)]
    fig.update_layout(title=f"{title}: {prefix}{step_labels[active]}",
                      margin=dict(l=16, r=16, t=64, b=16), height=height)
    add_step_slider(fig, steps, labels=[str(s) for s in step_labels], prefix=prefix,
                    active=active, traces=list(range(n)))
    return fig
