"""Data tables the rules read: where 0.x modules and names live in MMPretrain 1.2 / MMEngine /
MMCV 2.x (`modules`), and what really exists in those packages (`targets`, generated)."""
