"""mmcodemod: migrate MMClassification 0.x / MMSelfSup 0.x code bases to MMPretrain 1.x.

The engine (`engine`, `files`, `discover`, `classify`, `runner`, `interactive`) runs the rules in
`codemods/rules/` in the documented order of `codemods.rules.ORDER`.
"""
__version__ = "0.1.0"
