"""BERT: a bidirectional transformer encoder, trained by filling in blanks.

The architecture is BERT's (Devlin et al. 2019): token + position + segment embeddings,
``n_layer`` post-LayerNorm encoder blocks ``x = LN(x + attn(x)); x = LN(x + mlp(x))`` in which
every token attends to every real token of the sequence (no causal mask; a padding mask
hides the padding of a batch), a pooler, and a masked-language-model head tied to the token
embedding.

- :mod:`lmlab.bert.config`: :class:`BertConfig` (frozen dataclass, presets), :func:`param_count`.
- :mod:`lmlab.bert.model`: :class:`Bert` (the encoder) and :class:`BertMLM` (with the head).
- :mod:`lmlab.bert.load`: Hugging Face BERT checkpoints from safetensors; all-MiniLM-L6-v2.
- :mod:`lmlab.bert.mlm`: the masked-LM objective, batches, :class:`BertLanguageModel`.
- :mod:`lmlab.bert.embed`: sentence embeddings, contextual word vectors, attention maps.

It reuses :mod:`lmlab.attention` (the same attention as the GPT, without the causal mask)
and trains with :func:`lmlab.train.train`. Its tokenizer is :mod:`lmlab.wordpiece`.
"""
from .config import BertConfig, param_count
from .embed import (BertEncoder, analogy, attention_maps, cosine_matrix, hidden_states, layer_cosines, mean_pool,
                    sentence_embeddings, word_vectors)
from .load import HF_NAMES, convert_bert_tensors, load_bert, load_minilm, minilm_path
from .mlm import (SPECIALS, BertLanguageModel, MaskConfig, blank_nats, blank_spots, mask_tokens,
                  mlm_batches, mlm_vocab)
from .model import Bert, BertMLM, BertOutput

__all__ = ["BertConfig", "param_count", "Bert", "BertMLM", "BertOutput", "HF_NAMES",
           "convert_bert_tensors", "load_bert", "load_minilm", "minilm_path", "SPECIALS",
           "MaskConfig", "mask_tokens", "mlm_vocab", "mlm_batches", "BertLanguageModel",
           "blank_spots", "blank_nats",
           "BertEncoder", "mean_pool", "sentence_embeddings", "hidden_states", "word_vectors", "layer_cosines",
           "attention_maps", "cosine_matrix", "analogy"]
