"""storydesk.backends"""
