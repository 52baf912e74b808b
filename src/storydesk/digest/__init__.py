"""storydesk.digest"""
