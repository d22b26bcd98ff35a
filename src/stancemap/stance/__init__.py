"""stance"""
