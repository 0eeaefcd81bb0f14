"""Risk arithmetic: probability × impact scoring, score bands and heat-map counts."""
