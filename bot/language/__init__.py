"""Pure text handling shared by the NLU pipeline and the actions: no Rasa, no I/O.

``normalize`` turns what customers type (full-width letters and digits,
half-width katakana, the many dashes) into one canonical form and keeps the
offsets into the original text; ``script`` tells Japanese from Latin runs;
``entities`` finds order numbers, e-mail addresses and phone numbers in either
language.
"""
