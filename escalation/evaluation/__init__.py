"""The escalation report: replay labelled conversations, measure, plot (``python -m escalation.evaluation``).

For people and the trainer's tool (``make escalation-report``, ``bot/trainer/evaluation.py``,
``bench/escalation.py``): neither the action server nor the dialogue policy imports it.
"""
