from pipeline.cli import command

if __name__ == "__main__":  # a worker process started by spawn imports this module again
    command()
