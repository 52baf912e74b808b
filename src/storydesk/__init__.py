"""storydesk: news articles from many outlets, turned into stories you can compare."""

__version__ = "0.1.0"
