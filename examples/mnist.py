"""The seed's chapter-2 network (Deep Learning with Python), with only its imports changed.

Run: ``python examples/mnist.py`` (downloads MNIST on first use, or set CHAINRULE_DATA to a
folder holding ``mnist/``).
"""

from datasets import mnist
from datasets.utils import to_categorical
from nn import layers, models

(train_images, train_labels), (test_images, test_labels) = mnist.load_data()
train_images = train_images.reshape((60000, 28 * 28))
train_images = train_images.astype("float32") / 255
test_images = test_images.reshape((10000, 28 * 28))
test_images = test_images.astype("float32") / 255
train_labels = to_categorical(train_labels)
test_labels = to_categorical(test_labels)

# Network contains two Dense layers
network = models.Sequential()
network.add(layers.Dense(512, activation="relu", input_shape=(28 * 28,)))
network.add(layers.Dense(10, activation="softmax"))

# Compile
network.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])

# Training Loop
network.fit(train_images, train_labels, epochs=5, batch_size=128)

test_loss, test_acc = network.evaluate(test_images, test_labels)
print(test_acc)
