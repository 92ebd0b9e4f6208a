"""One trainer for every trainable model in the book (after minGPT's ``trainer.py``).

:func:`train` knows nothing about the model: it draws batches with a function
``get_batch(split, generator)``, turns a batch into a scalar loss with
``loss_fn(model, batch)`` (default ``model(*batch)``, returning the loss or
``(logits, loss)``), and takes optimizer steps:

- AdamW (decoupled weight decay on matrices only), or Muon for the hidden matrices
  (``optimizer='muon'``: the update of each weight matrix orthogonalised by a Newton-Schulz
  iteration; AdamW keeps the embeddings, the head, biases and norms),
- a learning rate that rises linearly for ``warmup_steps`` then follows a cosine down to
  ``min_lr`` (over ``steps``, or over ``max_seconds`` of training when a time budget is set),
- gradients clipped to a global norm ``grad_clip``,
- the held-out loss every ``eval_every`` steps (the same ``eval_batches`` batches each time),
- callbacks ``callback(step, metrics)`` (return True to stop), e.g. :class:`PrintProgress`,
- optional bfloat16 autocast and ``torch.compile``, resolved to what the machine supports
  and reported in the result,
- a time budget ``max_seconds`` measured in wall seconds, or (``clock='cpu'``) in the
  process's CPU seconds divided by the torch threads: on a machine shared with other work
  that is the wall time the same run would take with the cores to itself.

A fixed seed gives identical losses on a rerun (same machine, same threads). Checkpoints are
safetensors files (never pickle) whose metadata holds the model's configuration:
:func:`save_checkpoint`, :func:`load_checkpoint`, :func:`read_checkpoint`.

The package is split by idea:

* :mod:`lmlab.train.loop`: :class:`TrainConfig`, :class:`TrainResult`, the learning-rate
  schedule :func:`lr_at`, :func:`text_batches`, :func:`evaluate_loss`, the callbacks and
  :func:`train` itself;
* :mod:`lmlab.train.optim`: :class:`Muon` and the optimizer groups the trainer builds
  (AdamW with weight decay on matrices only, Muon on the hidden matrices);
* :mod:`lmlab.train.checkpoint`: safetensors checkpoints (:func:`save_checkpoint`,
  :func:`read_checkpoint`, :func:`load_checkpoint`) and :func:`load_tensors`, which names
  every missing, unexpected or mis-shaped tensor.
"""
from .checkpoint import load_checkpoint, load_tensors, read_checkpoint, save_checkpoint
from .loop import (Callback, PrintProgress, TrainConfig, TrainResult, evaluate_loss, lr_at,
                   text_batches, train)
from .optim import Muon

__all__ = ["TrainConfig", "TrainResult", "Callback", "PrintProgress", "train", "lr_at",
           "text_batches", "evaluate_loss", "Muon", "save_checkpoint", "load_checkpoint",
           "read_checkpoint", "load_tensors"]
