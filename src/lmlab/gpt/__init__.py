"""GPT: a stack of causal self-attention blocks that predicts the next token.

The architecture is GPT-2's (Radford et al. 2019), written after nanoGPT's ``model.py``:

- token embedding ``wte`` plus a learned position embedding ``wpe`` (or rotary positions),
- ``n_layer`` pre-LayerNorm blocks, ``x = x + attn(ln_1(x)); x = x + mlp(ln_2(x))``, where
  ``attn`` is causal multi-head self-attention and ``mlp`` a GELU network 4x as wide,
- a final LayerNorm and a linear head onto the output symbols, whose weight is by default the
  token embedding itself (tied input/output embeddings).

The package is split by idea:

* :mod:`lmlab.gpt.config`: :class:`GPTConfig` (a frozen dataclass, with presets) and
  :func:`param_count`, the parameter count from the configuration alone;
* :mod:`lmlab.gpt.model`: :class:`GPT`, the ``torch.nn.Module`` (training, attention
  weights), its blocks, and :class:`KVCache`, the key/value cache for generation;
* :mod:`lmlab.gpt.language_model`: :class:`GPTLanguageModel`, a trained GPT in the book's
  :class:`~lmlab.lm.LanguageModel` interface, so the same sampler and evaluation serve it as
  every other model (and :data:`CHAR_CHECKPOINT`, the character GPT shipped with lmlab);
* :mod:`lmlab.gpt.load`: GPT-2's published weights (Hugging Face layout, safetensors) into a
  :class:`GPT` (:func:`~lmlab.gpt.load.load_gpt2`).

Shapes: ``B`` batch, ``T`` sequence length, ``C = n_embd``, ``H = n_head``, ``D = C / H``,
``V`` output symbols.
"""
from .config import GPTConfig, param_count
from .language_model import CHAR_CHECKPOINT, GPTLanguageModel
from .load import convert_gpt2_tensors, gpt2_config, load_gpt2
from .model import GPT, MLP, Block, CausalSelfAttention, KVCache  # noqa: F401 (building blocks)

__all__ = ["GPTConfig", "param_count", "GPT", "KVCache", "GPTLanguageModel", "CHAR_CHECKPOINT",
           "load_gpt2", "gpt2_config", "convert_gpt2_tensors"]
