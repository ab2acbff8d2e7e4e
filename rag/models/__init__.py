"""The generator's model files: what a GGUF is (its card), which one serves, where it came from.

A card is read from GGUF metadata without loading weights (`card`), with the licence class
(`licence`) and the memory a load takes at the configured context (`memory`). Models pulled from
a Hugging Face compatible hub (`hub`) or quantized here (`quantize`) live in
`$RAG_DATA_DIR/models`, recorded in a registry beside the chosen model (`library`).
"""
