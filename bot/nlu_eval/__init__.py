"""How well the NLU understands customers, per language, on sets it never trained on.

``sets`` reads the labelled sets, ``parse`` runs a trained model over them,
``metrics`` scores the predictions (pure), ``tuning`` replays the fallback
thresholds over saved predictions, ``report`` writes the Markdown and the plots.
``python -m bot.nlu_eval`` is the command (see ``__main__``).
"""
