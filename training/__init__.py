"""Training: fits the learned weights that ship in rag/answer/ (the answerability verifier and
the support signal's weights), on generated pairs and the calibration halves of eval/. Run each
module with `python -m training.<name>`; not part of the installed package."""
