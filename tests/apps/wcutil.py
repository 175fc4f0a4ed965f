"""Shipped with --spark-py-files: how wordcount.py splits a line."""


def words(line):
    return line.split()
